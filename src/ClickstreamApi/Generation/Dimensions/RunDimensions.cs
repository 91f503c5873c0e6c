using System.Text;
using ClickstreamApi.Events;
using ClickstreamApi.Generation.Model;
using ClickstreamApi.Kafka;
using ClickstreamApi.Schemas;
using Confluent.Kafka;

namespace ClickstreamApi.Generation.Dimensions;

/// <summary>
/// One run's dimension topics: the rows of its population and catalogue at its start, then every
/// change <see cref="ShopChanges"/> makes on the run's clock, as messages for the users and products
/// topics. Values come from the run's seed and clock only, so a simulated run writes the same rows
/// every time. Owned by the generating loop; not thread-safe.
/// </summary>
internal sealed class RunDimensions
{
    private readonly ClickSimulator _simulator;
    private readonly IDimensionEncoder _encoder;
    private readonly DimensionTopics _topics;
    private readonly ShopChanges _changes;
    private readonly byte[]? _runId;
    private readonly byte[]? _contentType;

    /// <param name="simulator">The run's simulation, which the changes change.</param>
    /// <param name="encoder">Writes the rows in the run's format.</param>
    /// <param name="topics">Where the rows go.</param>
    /// <param name="rates">How often things change, per hour of the run's clock.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="start">The run's start on its clock: the rows' first timestamp.</param>
    /// <param name="runId">The run, for the <c>run-id</c> header; null writes no headers.</param>
    public RunDimensions(ClickSimulator simulator, IDimensionEncoder encoder, DimensionTopics topics, DimensionRates rates, int seed, DateTimeOffset start, string? runId)
    {
        _simulator = simulator;
        _encoder = encoder;
        _topics = topics;
        Start = start;
        _changes = new ShopChanges(simulator, seed, start, rates);
        if (runId is not null)
        {
            _runId = Encoding.UTF8.GetBytes(runId);
            _contentType = Encoding.UTF8.GetBytes(encoder.Format.ContentType());
        }
    }

    /// <summary>The run's start on its clock.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>When the next change is due on the run's clock (<see cref="DateTimeOffset.MaxValue"/>: never).</summary>
    public DateTimeOffset NextChangeAt => _changes.NextAt;

    /// <summary>The encoder, for its registered schemas.</summary>
    public IDimensionEncoder Encoder => _encoder;

    /// <summary>Every user (the population, then the crawlers) and every product, stamped with the run's start.</summary>
    public IEnumerable<DimensionMessage> Snapshot()
    {
        for (var user = 0; user < _simulator.Population.Size; user++)
        {
            yield return UserRow(user, Start, DimensionMessageKind.User);
        }

        for (var identity = 0; identity < ClickSimulator.CrawlerIdentities; identity++)
        {
            var id = ClickSimulator.CrawlerId(identity);
            var market = ClickSimulator.CrawlerMarket;
            var row = new UserRecord(id, DeviceTypes.Desktop, ClickSimulator.CrawlerAgent(identity), market.Country, market.Currency, VisitorTypes.New, true, Start, Start);
            yield return new DimensionMessage(_topics.Users, Encoding.UTF8.GetBytes(id), _encoder.Encode(row), Start, DimensionMessageKind.User);
        }

        foreach (var product in _simulator.Catalog.Products)
        {
            yield return ProductRow(product, Start, DimensionMessageKind.Product);
        }
    }

    /// <summary>Makes the next change and returns its message; null when the change was skipped.</summary>
    public DimensionMessage? TakeChange()
    {
        if (_changes.TakeNext() is not { } change)
        {
            return null;
        }

        return change.Kind switch
        {
            DimensionChangeKind.PriceChange => ProductRow(change.Product!, change.At, DimensionMessageKind.PriceChange),
            DimensionChangeKind.UserChange => UserRow(change.User, change.At, DimensionMessageKind.UserChange),
            _ => new DimensionMessage(_topics.Users, _simulator.Population.Key(change.User), null, change.At, DimensionMessageKind.Deletion),
        };
    }

    /// <summary>The message's headers: <c>run-id</c> and <c>content-type</c> (null when Output:Headers is off).</summary>
    public Headers? HeadersFor(DimensionMessage message)
    {
        if (_runId is null)
        {
            return null;
        }

        var headers = new Headers { { EventHeaderNames.RunId, _runId } };
        if (message.Value is not null)
        {
            headers.Add(EventHeaderNames.ContentType, _contentType);
        }

        return headers;
    }

    private DimensionMessage UserRow(int user, DateTimeOffset at, DimensionMessageKind kind)
    {
        var profile = _simulator.Profile(user);
        var signedUpAt = profile.VisitedBefore ? Start.AddDays(-profile.TenureDays) : Start;
        var row = new UserRecord(
            _simulator.Population.Id(user),
            profile.Device,
            profile.UserAgent,
            profile.Market.Country,
            profile.Market.Currency,
            profile.VisitedBefore ? VisitorTypes.Returning : VisitorTypes.New,
            false,
            signedUpAt,
            at);
        return new DimensionMessage(_topics.Users, _simulator.Population.Key(user), _encoder.Encode(row), at, kind);
    }

    private DimensionMessage ProductRow(Product product, DateTimeOffset at, DimensionMessageKind kind)
    {
        var row = new ProductRecord(product.Id, product.Name, product.Category, _simulator.Prices[product], "USD", at);
        return new DimensionMessage(_topics.Products, Encoding.UTF8.GetBytes(product.Id), _encoder.Encode(row), at, kind);
    }
}
