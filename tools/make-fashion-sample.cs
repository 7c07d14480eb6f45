#:project ../src/NasBench.Data/NasBench.Data.csproj

// Rebuilds the embedded Fashion-MNIST sample of NasBench.Data from the full set.
// Usage, from the repository root:
//   dotnet run tools/make-fashion-sample.cs [SOURCE_DIR] [OUTPUT_DIR]
// SOURCE_DIR defaults to /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist);
// OUTPUT_DIR defaults to src/NasBench.Data/Samples/fashion-mnist. The draw is seeded (EmbeddedSample.Seed), so the
// decompressed content is identical on every run; the test EmbeddedSample_matches_the_documented_draw checks that.
using NasBench.Data;

string source = args.Length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist";
string output = args.Length > 1 ? args[1] : Path.Combine("src", "NasBench.Data", "Samples", "fashion-mnist");

DatasetPair full = DatasetLoader.Load("fashion-mnist", source);
if (full.Source != DatasetSource.Directory)
{
    Console.Error.WriteLine($"Expected the full set under {source}; got {full.Describe()}.");
    return 1;
}

EmbeddedSample.Write(full, output);
Console.WriteLine($"Read {full.Describe()}.");
Console.WriteLine(
    $"Wrote {EmbeddedSample.TrainPerClass} train + {EmbeddedSample.TestPerClass} test images per class " +
    $"(seed {EmbeddedSample.Seed}) to {output}:");
foreach (string file in EmbeddedSample.FileNames)
{
    Console.WriteLine($"  {file,-28} {new FileInfo(Path.Combine(output, file)).Length,9:N0} bytes");
}

return 0;
