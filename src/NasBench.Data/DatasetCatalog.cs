namespace NasBench.Data;

/// <summary>The datasets NasBench can load by name: <c>fashion-mnist</c>, <c>mnist</c>, <c>cifar10</c>,
/// <c>cifar100</c>.</summary>
public static class DatasetCatalog
{
    /// <summary>Fashion-MNIST (Zalando Research, MIT licence): 60 000 + 10 000 grey 28×28 images, 10 classes.</summary>
    public static readonly DatasetInfo FashionMnist = new(
        "fashion-mnist", "Fashion-MNIST", DatasetFormat.Idx, new ImageShape(1, 28, 28),
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        new ChannelNormalization([0.2860f], [0.3530f]),
        ["fashion-mnist", "fashion_mnist", "FashionMNIST"], HasEmbeddedSample: true);

    /// <summary>MNIST handwritten digits: 60 000 + 10 000 grey 28×28 images, 10 classes.</summary>
    public static readonly DatasetInfo Mnist = new(
        "mnist", "MNIST", DatasetFormat.Idx, new ImageShape(1, 28, 28),
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        new ChannelNormalization([0.1307f], [0.3081f]),
        ["mnist", "MNIST"], HasEmbeddedSample: false);

    /// <summary>CIFAR-10: 50 000 + 10 000 colour 32×32 images, 10 classes.</summary>
    public static readonly DatasetInfo Cifar10 = new(
        "cifar10", "CIFAR-10", DatasetFormat.Cifar10, new ImageShape(3, 32, 32),
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
        new ChannelNormalization([0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]),
        ["cifar-10-batches-bin", "cifar10", "cifar-10"], HasEmbeddedSample: false);

    /// <summary>CIFAR-100: 50 000 + 10 000 colour 32×32 images, 100 fine classes.</summary>
    public static readonly DatasetInfo Cifar100 = new(
        "cifar100", "CIFAR-100", DatasetFormat.Cifar100, new ImageShape(3, 32, 32),
        [
            "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle",
            "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle",
            "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur",
            "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard",
            "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain",
            "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck",
            "pine_tree", "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road",
            "rocket", "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider",
            "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger",
            "tractor", "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman",
            "worm",
        ],
        new ChannelNormalization([0.5071f, 0.4865f, 0.4409f], [0.2673f, 0.2564f, 0.2762f]),
        ["cifar-100-binary", "cifar100", "cifar-100"], HasEmbeddedSample: false);

    /// <summary>All catalogued datasets.</summary>
    public static IReadOnlyList<DatasetInfo> All { get; } = [FashionMnist, Mnist, Cifar10, Cifar100];

    /// <summary>Looks a dataset up by name (case-insensitive; <c>cifar-10</c> and <c>fashion_mnist</c> also
    /// match).</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static DatasetInfo Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = Normalize(name);
        foreach (DatasetInfo info in All)
        {
            if (Normalize(info.Name) == key)
            {
                return info;
            }
        }

        throw new ArgumentException(
            $"Unknown dataset '{name}'. Known: {string.Join(", ", All.Select(d => d.Name))}.", nameof(name));
    }

    private static string Normalize(string name) =>
        name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)
            .ToLowerInvariant();
}
