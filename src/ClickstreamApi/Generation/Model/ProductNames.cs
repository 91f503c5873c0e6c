namespace ClickstreamApi.Generation.Model;

/// <summary>Readable product names: a brand and a noun of the product's category, and a model number.</summary>
public static class ProductNames
{
    private static readonly Dictionary<string, (string[] Brands, string[] Nouns)> Parts = new(StringComparer.Ordinal)
    {
        ["electronics"] = (["Voltra", "Sonique", "Brightline", "Kestrel"], ["Wireless Headphones", "Bluetooth Speaker", "4K TV", "Soundbar", "Smart Watch", "Action Camera"]),
        ["computers"] = (["Corelane", "Nimbus", "Ardent", "Quantix"], ["Laptop", "Gaming Mouse", "USB-C Hub", "Monitor", "Mechanical Keyboard", "External SSD"]),
        ["phones"] = (["Pocketly", "Aurora", "Linkwave", "Tessa"], ["Smartphone", "Phone Case", "Fast Charger", "Screen Protector", "Power Bank", "Car Mount"]),
        ["books"] = (["Harbor Press", "Quillstone", "Northfield Books", "Inkwell"], ["Cookbook", "Fantasy Novel", "Picture Book", "Thriller", "Travel Guide", "Biography"]),
        ["home-kitchen"] = (["Hearthly", "Copperleaf", "Kitchara", "Dwell & Co"], ["Coffee Maker", "Air Fryer", "Knife Set", "Blender", "Cast Iron Pan", "Kettle"]),
        ["garden"] = (["Greenbough", "Terrafirm", "Bloomwell", "Fernhill"], ["Garden Hose", "Plant Pot", "Pruning Shears", "Raised Bed", "Watering Can", "Seed Kit"]),
        ["fashion-women"] = (["Maison Lune", "Verity", "Calla", "Wren & Rose"], ["Summer Dress", "Blouse", "Cardigan", "Ankle Boots", "Handbag", "Scarf"]),
        ["fashion-men"] = (["Hollis", "Ironwood", "Blake & Finch", "Norden"], ["Jacket", "Sneakers", "Oxford Shirt", "Chinos", "Wool Sweater", "Belt"]),
        ["sports"] = (["Stridex", "Peakform", "Tidal", "Ascent"], ["Running Shoes", "Yoga Mat", "Dumbbell Set", "Water Bottle", "Cycling Gloves", "Tennis Racket"]),
        ["toys"] = (["Brickwise", "Playfair", "Tumbletown", "Wonderkin"], ["Building Set", "Board Game", "Plush Bear", "Puzzle", "Toy Car", "Doll House"]),
        ["beauty"] = (["Lumiere", "Petalique", "Dermaleaf", "Solene"], ["Sunscreen", "Face Serum", "Moisturizer", "Lip Balm", "Shampoo", "Eye Cream"]),
        ["grocery"] = (["Harvest Lane", "Goodfield", "Roastery Row", "Nutri"], ["Coffee Beans", "Protein Bars", "Olive Oil", "Green Tea", "Granola", "Dark Chocolate"]),
    };

    /// <summary>A name for a product of <paramref name="category"/>, from the catalogue's own name stream.</summary>
    public static string Make(string category, Random random)
    {
        var (brands, nouns) = Parts.TryGetValue(category, out var parts) ? parts : (["Shopwise"], ["Item"]);
        var model = random.Next(100, 1000);
        return $"{brands[random.Next(brands.Length)]} {nouns[random.Next(nouns.Length)]} {model.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
