using System.Globalization;
using System.Text;

namespace ClickstreamApi.Generation.Model;

/// <summary>A simulated user's stable attributes.</summary>
/// <param name="Device">desktop, mobile or tablet.</param>
/// <param name="UserAgent">A browser user agent that matches the device.</param>
/// <param name="Market">The user's country and its currency.</param>
/// <param name="VisitedBefore">Whether the user had visited before the simulation began.</param>
/// <param name="TenureDays">For users who visited before: how many days before the run's start they signed up (1 to 1095).</param>
public readonly record struct UserProfile(string Device, string UserAgent, Market Market, bool VisitedBefore, int TenureDays);

/// <summary>
/// The user population. Attributes are derived from a hash of (seed, user) rather than stored, so
/// the same user always has the same device, browser and country for a given seed, and a
/// population of millions costs no memory. Ids and keys are cached once made.
/// </summary>
public sealed class Population
{
    /// <summary>Share of users who had visited before the simulation began ("returning" from their first session).</summary>
    public const double ReturningShare = 0.6;

    private const int CacheLimit = 2_000_000;

    private readonly ulong _seed;
    private readonly string?[]? _ids;
    private readonly byte[]?[]? _keys;

    public Population(int size, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
        _seed = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL;
        if (size <= CacheLimit)
        {
            _ids = new string?[size];
            _keys = new byte[]?[size];
        }
    }

    public int Size { get; }

    /// <summary>User ids are "1" .. size, like the original exercise's "User 42".</summary>
    public string Id(int user)
    {
        if (_ids is null)
        {
            return (user + 1).ToString(CultureInfo.InvariantCulture);
        }

        return _ids[user] ??= (user + 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The Kafka key: the id's UTF-8 bytes, shared by all of the user's events.</summary>
    public byte[] Key(int user)
    {
        if (_keys is null)
        {
            return Encoding.UTF8.GetBytes(Id(user));
        }

        return _keys[user] ??= Encoding.UTF8.GetBytes(Id(user));
    }

    public UserProfile Profile(int user)
    {
        var random = new SplitMix(_seed ^ ((ulong)user * 0xD1B54A32D192ED03UL));
        var device = Devices.ByTraffic.Pick(random.NextDouble());
        var userAgent = Devices.UserAgents[device].Pick(random.NextDouble());
        var market = Markets.ByTraffic.Pick(random.NextDouble());
        var visitedBefore = random.NextDouble() < ReturningShare;
        // Drawn last, so the attributes above are what they always were.
        var tenureDays = 1 + (int)(random.NextDouble() * 1095);
        return new UserProfile(device, userAgent, market, visitedBefore, tenureDays);
    }

    /// <summary>A tiny deterministic generator (SplitMix64) for per-user attributes.</summary>
    private struct SplitMix(ulong state)
    {
        private ulong _state = state;

        public double NextDouble()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }
}
