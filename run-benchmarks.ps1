<#
.SYNOPSIS
  Runs the NasBench benchmarks; a thin wrapper; all logic lives in benchmarks/NasBench.Benchmarks.
.EXAMPLE
  ./run-benchmarks.ps1 -Job Dry                       # smoke: every benchmark builds and runs once
  ./run-benchmarks.ps1 -Filter '*Sgemm*' -Job short -Threads 1,2
  ./run-benchmarks.ps1 -Filter '*Sgemm*' -Compare saved-results/   # run, then compare against a saved run
  Arguments after the named ones go to BenchmarkDotNet unchanged (e.g. --list flat).
  Exit code: the benchmark run's; with -Compare, 2 when the comparer finds a significant regression.
#>
[CmdletBinding()]
param(
    [string] $Filter = '*',
    [string] $Job,
    [string] $Threads,
    [string] $Compare,
    [Parameter(ValueFromRemainingArguments = $true)] [string[]] $Rest = @()
)
$ErrorActionPreference = 'Stop'
$project = Join-Path $PSScriptRoot 'benchmarks/NasBench.Benchmarks'
$artifacts = Join-Path $PSScriptRoot 'BenchmarkDotNet.Artifacts'

$arguments = @('--filter', $Filter, '--artifacts', $artifacts)
if ($Job) { $arguments += @('--job', $Job) }
if ($Threads) { $arguments += @('--threads', $Threads) }
& dotnet run -c Release --project $project -- @arguments @Rest
if ($LASTEXITCODE -ne 0 -or -not $Compare) { exit $LASTEXITCODE }

& dotnet run -c Release --project $project -- compare $Compare (Join-Path $artifacts 'results') --output $artifacts
exit $LASTEXITCODE
