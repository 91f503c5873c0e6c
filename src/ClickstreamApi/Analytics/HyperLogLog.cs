using System.Numerics;

namespace ClickstreamApi.Analytics;

/// <summary>
/// Estimates how many distinct strings were added in fixed memory: 4,096 one-byte registers
/// (precision 12), whatever the number of strings. The standard error is
/// 1.04 / √4096 ≈ 1.6 % (so about 95 % of estimates fall within ±3.3 %); below about 10,000
/// distinct values linear counting takes over and is closer still. Just above that switch the
/// classic estimator reads 1–2 % high on average (HyperLogLog++ corrects this with empirical bias
/// tables; not worth it here). Sketches of the same precision merge losslessly, which is what lets
/// time-bucketed sketches answer "distinct over the window". Not thread-safe.
/// </summary>
public sealed class HyperLogLog
{
    public const int Precision = 12;
    public const int RegisterCount = 1 << Precision;

    /// <summary>Relative standard error of <see cref="Estimate"/>: 1.04 / √<see cref="RegisterCount"/>.</summary>
    public const double StandardError = 1.04 / 64;

    /// <summary>The highest rank a register holds: 64 − <see cref="Precision"/> + 1.</summary>
    public const int MaxRank = 64 - Precision + 1;

    private const ulong FnvOffsetBasis = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    // Bias correction of the harmonic mean for m ≥ 128 (Flajolet et al., 2007).
    private const double Alpha = 0.7213 / (1 + (1.079 / RegisterCount));

    private readonly byte[] _registers = new byte[RegisterCount];

    /// <summary>Adds <paramref name="value"/>; adding it again changes nothing.</summary>
    public void Add(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        AddHash(Hash(value));
    }

    /// <summary>Makes this sketch count everything <paramref name="other"/> counted as well (a union).</summary>
    public void Merge(HyperLogLog other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var mine = _registers;
        var theirs = other._registers;
        for (var i = 0; i < mine.Length; i++)
        {
            if (theirs[i] > mine[i])
            {
                mine[i] = theirs[i];
            }
        }
    }

    /// <summary>
    /// Makes this sketch count what another sketch of the same precision counted, given as its
    /// registers (<see cref="ToRegisters"/>, from another process): a union, as exact as <see cref="Merge(HyperLogLog)"/>.
    /// </summary>
    /// <exception cref="FormatException">Not <see cref="RegisterCount"/> registers, or a register above the highest rank.</exception>
    public void Merge(ReadOnlySpan<byte> registers)
    {
        // Checked before any is taken: a sketch that is refused changes nothing.
        CheckRegisters(registers);
        var mine = _registers;
        for (var i = 0; i < mine.Length; i++)
        {
            if (registers[i] > mine[i])
            {
                mine[i] = registers[i];
            }
        }
    }

    /// <summary>Throws unless <paramref name="registers"/> are the registers of a sketch of this precision (<see cref="Merge(ReadOnlySpan{byte})"/> takes them then).</summary>
    /// <exception cref="FormatException">Not <see cref="RegisterCount"/> registers, or a register above the highest rank.</exception>
    public static void CheckRegisters(ReadOnlySpan<byte> registers)
    {
        if (registers.Length != RegisterCount)
        {
            throw new FormatException($"A sketch has {RegisterCount} registers, not {registers.Length}.");
        }

        var invalid = registers.IndexOfAnyInRange((byte)(MaxRank + 1), byte.MaxValue);
        if (invalid >= 0)
        {
            throw new FormatException($"Register {invalid} is {registers[invalid]}, above the highest rank {MaxRank}.");
        }
    }

    /// <summary>A copy of the registers: what another sketch merges (<see cref="Merge(ReadOnlySpan{byte})"/>) to count these values too.</summary>
    public byte[] ToRegisters() => (byte[])_registers.Clone();

    /// <summary>The estimated number of distinct values added.</summary>
    public long Estimate()
    {
        double sum = 0;
        var zeros = 0;
        foreach (var register in _registers)
        {
            sum += Math.ScaleB(1.0, -register);
            if (register == 0)
            {
                zeros++;
            }
        }

        double m = RegisterCount;
        var estimate = Alpha * m * m / sum;

        // Small range: the raw estimate is biased while many registers are still empty, and
        // linear counting on the empty ones is accurate there. A 64-bit hash needs no large-range
        // correction at any count this service can see.
        if (estimate <= 2.5 * m && zeros > 0)
        {
            estimate = m * Math.Log(m / zeros);
        }

        return (long)Math.Round(estimate);
    }

    /// <summary>Forgets everything added.</summary>
    public void Clear() => Array.Clear(_registers);

    private void AddHash(ulong hash)
    {
        // The top bits pick the register; the rank is the position of the first 1 in the rest.
        // The guard bit caps the rank at 64 − p + 1 when the rest is all zeros.
        var index = (int)(hash >> (64 - Precision));
        var rank = (byte)(BitOperations.LeadingZeroCount((hash << Precision) | (1UL << (Precision - 1))) + 1);
        if (rank > _registers[index])
        {
            _registers[index] = rank;
        }
    }

    /// <summary>
    /// FNV-1a over the UTF-16 code units (cheap, no allocation), then the SplitMix64 finalizer:
    /// FNV alone leaves the high bits, which pick the register, poorly mixed for similar ids.
    /// </summary>
    internal static ulong Hash(string value)
    {
        var hash = FnvOffsetBasis;
        foreach (var c in value)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EB;
        return hash ^ (hash >> 31);
    }
}
