using System.Globalization;

namespace ClickstreamApi.LoadBench.Tools;

/// <summary>
/// The original exercise's Python scripts, adapted for a benchmark by exact text replacements that
/// are listed, so a table can say precisely what was changed. A script whose text does not match
/// (the seed changed) is not run, and the table says so.
/// </summary>
internal static class ExerciseScripts
{
    /// <summary>The exercise's producer (from the seed), made to send <paramref name="messages"/> messages to <paramref name="bootstrap"/> as fast as it can, then flush.</summary>
    public static AdaptedScript Producer(string seedDirectory, string bootstrap, long messages)
    {
        var original = ProducerFromSeed(seedDirectory);
        if (original is null)
        {
            return AdaptedScript.Missing($"not run: the exercise (clickstream_producer.py) not found in {seedDirectory}");
        }

        var count = messages.ToString(CultureInfo.InvariantCulture);
        return Adapt(original, [
            new("bootstrap_servers = 'localhost:9092'", $"bootstrap_servers = '{bootstrap}'", "bootstrap address substituted"),
            new(
                "        print(f'Message delivered to {msg.topic()} [{msg.partition()}]')",
                "        pass  # bench: per-message delivery print removed",
                "per-message delivery print removed (failures still print)"),
            new("while True:", $"for _ in range({count}):", $"`while True:` became `for _ in range({count}):`"),
            new(
                "    producer.produce(clickstream_topic, value=click_event.encode('utf-8'), callback=delivery_callback)",
                """
                    while True:  # bench: wait for room when the local queue is full, then retry
                        try:
                            producer.produce(clickstream_topic, value=click_event.encode('utf-8'), callback=delivery_callback)
                            break
                        except BufferError:
                            producer.poll(0.001)
                """.TrimEnd('\n'),
                "`produce` retried after `poll(0.001)` on BufferError (without its sleep the loop fills librdkafka's local queue)"),
            new("\n    time.sleep(1)", string.Empty, "`time.sleep(1)` removed"),
        ], appended: $"\n# bench: wait for every delivery, then report\nundelivered = producer.flush(120)\nprint(f'bench: produced {count}, undelivered {{undelivered}}')\n",
        appendedDescription: "`producer.flush()` and a one-line report appended");
    }

    /// <summary>The exercise's consumer (written to the seed's step 3), made to stop after <paramref name="messages"/> messages and to time them.</summary>
    public static AdaptedScript Consumer(string bootstrap, long messages, string group)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Exercise", "clickstream_consumer.py");
        var count = messages.ToString(CultureInfo.InvariantCulture);
        return Adapt(File.ReadAllText(path), [
            new("bootstrap_servers = 'localhost:9092'", $"bootstrap_servers = '{bootstrap}'", "bootstrap address substituted"),
            new("'group.id': 'clickstream_consumer_group'", $"'group.id': '{group}'", "a group of its own per run (it starts from the earliest offset)"),
            new(
                "consumer.subscribe([clickstream_topic])\n",
                "consumer.subscribe([clickstream_topic])\nimport time  # bench\nreceived, first = 0, None  # bench\n",
                "a counter"),
            new("    while True:", $"    while received < {count}:", $"`while True:` became `while received < {count}:`"),
            new(
                "        print(f'Received click event: {msg.value().decode(\"utf-8\")}')",
                "        received += 1  # bench: print removed\n        if first is None:\n            first = time.perf_counter()",
                "the per-message print (and its decode) replaced by counting; the time of the first message noted"),
            new(
                "finally:\n    consumer.close()",
                $"finally:\n    last = time.perf_counter()\n    consumer.close()\n    print(f'bench: consumed {{received}} first_to_last {{last - first if first else 0:.6f}}')",
                "the time from first to last message printed at the end"),
        ], appended: null, appendedDescription: null);
    }

    private static AdaptedScript Adapt(string original, IReadOnlyList<Replacement> replacements, string? appended, string? appendedDescription)
    {
        var text = original;
        foreach (var replacement in replacements)
        {
            var first = text.IndexOf(replacement.Find, StringComparison.Ordinal);
            if (first < 0 || text.IndexOf(replacement.Find, first + 1, StringComparison.Ordinal) >= 0)
            {
                return AdaptedScript.Missing($"not run: the script no longer contains `{replacement.Find.Trim()}` exactly once, so it cannot be adapted as described");
            }

            text = text.Replace(replacement.Find, replacement.With, StringComparison.Ordinal);
        }

        var changes = replacements.Select(r => r.Description).ToList();
        if (appended is not null)
        {
            text += appended;
            changes.Add(appendedDescription!);
        }

        return new AdaptedScript(text, changes, null);
    }

    private static string? ProducerFromSeed(string seedDirectory)
    {
        if (!Directory.Exists(seedDirectory))
        {
            return null;
        }

        foreach (var file in Directory.GetFiles(seedDirectory, "*.txt").Order(StringComparer.Ordinal))
        {
            // As the integration test reads it: the first ```python block after the producer's heading.
            var text = File.ReadAllText(file);
            var heading = text.IndexOf("clickstream_producer.py`):", StringComparison.Ordinal);
            if (heading < 0)
            {
                continue;
            }

            var open = text.IndexOf("```python", heading, StringComparison.Ordinal);
            var close = open < 0 ? -1 : text.IndexOf("```", open + 9, StringComparison.Ordinal);
            if (close > open)
            {
                return text[(open + 9)..close];
            }
        }

        return null;
    }

    private sealed record Replacement(string Find, string With, string Description);
}

/// <summary>An adapted script and what was changed, or why it cannot run.</summary>
/// <param name="Text">The script to run (null when it cannot run).</param>
/// <param name="Changes">Each change, for the table's notes.</param>
/// <param name="NotRun">Why it cannot run, as a table cell.</param>
internal sealed record AdaptedScript(string? Text, IReadOnlyList<string> Changes, string? NotRun)
{
    public static AdaptedScript Missing(string reason) => new(null, [], reason);

    /// <summary>Writes the script to a temporary file and returns its path.</summary>
    public string WriteTemporary(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"loadbench-{Environment.ProcessId}-{name}");
        File.WriteAllText(path, Text);
        return path;
    }
}
