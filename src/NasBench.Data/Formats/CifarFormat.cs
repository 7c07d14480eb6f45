namespace NasBench.Data.Formats;

/// <summary>The two CIFAR binary record layouts.</summary>
public enum CifarFormat
{
    /// <summary>CIFAR-10: 1 label byte (0..9) then 3072 pixel bytes.</summary>
    Cifar10,

    /// <summary>CIFAR-100: a coarse label byte (0..19), a fine label byte (0..99), then 3072 pixel bytes.</summary>
    Cifar100,
}
