using System.Globalization;

namespace ClickstreamApi.Generation.Model;

/// <summary>A product of the simulated shop.</summary>
/// <param name="Id">"1" to "2000".</param>
/// <param name="Page">Its page path.</param>
/// <param name="Category">Its category's name.</param>
/// <param name="PriceUsd">The catalogue price in USD (a run's current price is in its <see cref="PriceList"/>).</param>
/// <param name="Name">A readable name, brand and noun of its category.</param>
/// <param name="Index">Its place in <see cref="Catalog.Products"/> (the id minus one).</param>
public sealed record Product(string Id, string Page, string Category, decimal PriceUsd, string Name, int Index);

/// <summary>A catalogue category with its page and its products, most popular first.</summary>
public sealed record Category(string Name, string Page, Product[] Products, Zipf Popularity);

/// <summary>Search terms people type, and the category they are after.</summary>
public sealed record SearchTerm(string Query, string Page, string Category);

/// <summary>
/// The shop's catalogue, built once from a fixed seed so product ids, prices and categories are
/// the same in every run (the run's own seed drives behaviour, not the catalogue). All page paths
/// are built here, so simulating an event builds no strings.
/// </summary>
public sealed class Catalog
{
    public const int ProductCount = 2_000;

    private static readonly (string Name, decimal MedianPrice)[] CategorySpecs =
    [
        ("electronics", 120m), ("computers", 650m), ("phones", 420m), ("books", 15m),
        ("home-kitchen", 45m), ("garden", 35m), ("fashion-women", 40m), ("fashion-men", 40m),
        ("sports", 55m), ("toys", 25m), ("beauty", 20m), ("grocery", 8m),
    ];

    private static readonly (string Query, string Category, double Weight)[] SearchSpecs =
    [
        ("wireless headphones", "electronics", 8), ("bluetooth speaker", "electronics", 4), ("4k tv", "electronics", 3),
        ("laptop", "computers", 7), ("gaming mouse", "computers", 3), ("usb c hub", "computers", 3), ("monitor", "computers", 3),
        ("iphone case", "phones", 6), ("phone charger", "phones", 5), ("screen protector", "phones", 3),
        ("cookbook", "books", 2), ("fantasy novel", "books", 3), ("kids books", "books", 2),
        ("coffee maker", "home-kitchen", 5), ("air fryer", "home-kitchen", 5), ("knife set", "home-kitchen", 2),
        ("garden hose", "garden", 2), ("plant pots", "garden", 2),
        ("summer dress", "fashion-women", 4), ("running shoes", "sports", 6), ("yoga mat", "sports", 3),
        ("mens jacket", "fashion-men", 3), ("sneakers", "fashion-men", 4),
        ("lego", "toys", 4), ("board games", "toys", 2),
        ("sunscreen", "beauty", 3), ("face serum", "beauty", 2),
        ("coffee beans", "grocery", 3), ("protein bars", "grocery", 2),
    ];

    public Catalog()
    {
        var random = new Random(20_261_124);
        // Names draw from a stream of their own, so ids, categories and prices stay what they were.
        var names = new Random(20_261_125);
        var products = new List<Product>[CategorySpecs.Length];
        for (var c = 0; c < products.Length; c++)
        {
            products[c] = [];
        }

        for (var i = 1; i <= ProductCount; i++)
        {
            var c = random.Next(CategorySpecs.Length);
            var (name, median) = CategorySpecs[c];
            // Log-normal prices around the category's median, ending in .99 like shop prices do.
            var price = (double)median * Math.Exp(0.6 * Gaussian(random));
            var priceUsd = Math.Max(1m, Math.Round((decimal)price, 0)) - 0.01m;
            var id = i.ToString(CultureInfo.InvariantCulture);
            products[c].Add(new Product(id, "/product/" + id, name, priceUsd, ProductNames.Make(name, names), i - 1));
        }

        Categories = [.. CategorySpecs.Select((spec, c) => new Category(
            spec.Name,
            "/category/" + spec.Name,
            [.. products[c]],
            new Zipf(products[c].Count, 1.0)))];
        ByName = Categories.ToDictionary(c => c.Name, StringComparer.Ordinal);
        Products = [.. Categories.SelectMany(c => c.Products).OrderBy(p => int.Parse(p.Id, CultureInfo.InvariantCulture))];
        Searches = new Weighted<SearchTerm>(SearchSpecs.Select(s =>
            (new SearchTerm(s.Query, "/search?q=" + s.Query.Replace(' ', '+'), s.Category), s.Weight)));
        // Bigger categories draw more visits.
        CategoriesByTraffic = new Weighted<Category>(Categories.Select(c => (c, (double)c.Products.Length)));
    }

    public Category[] Categories { get; }

    public IReadOnlyDictionary<string, Category> ByName { get; }

    public Product[] Products { get; }

    public Weighted<SearchTerm> Searches { get; }

    public Weighted<Category> CategoriesByTraffic { get; }

    /// <summary>A product of the category, popular ones far more often (Zipf).</summary>
    public static Product PopularProduct(Category category, Random random) =>
        category.Products[category.Popularity.Sample(random)];

    private static double Gaussian(Random random)
    {
        // Box-Muller; one value per call is plenty here (built once).
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

/// <summary>Zipf-distributed ranks 0..n-1 (rank 0 most likely), sampled by binary search.</summary>
public sealed class Zipf
{
    private readonly double[] _cumulative;

    public Zipf(int count, double exponent)
    {
        _cumulative = new double[Math.Max(1, count)];
        var total = 0.0;
        for (var rank = 0; rank < _cumulative.Length; rank++)
        {
            total += 1.0 / Math.Pow(rank + 1, exponent);
            _cumulative[rank] = total;
        }

        for (var rank = 0; rank < _cumulative.Length; rank++)
        {
            _cumulative[rank] /= total;
        }
    }

    public int Sample(Random random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble());
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, _cumulative.Length - 1);
    }
}
