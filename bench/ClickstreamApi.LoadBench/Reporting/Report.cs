namespace ClickstreamApi.LoadBench.Reporting;

/// <summary>
/// The report: Markdown on standard output and, line for line, in a results file, one section per
/// scenario, each headed with the command, the date and the machine.
/// </summary>
internal sealed class Report : IDisposable
{
    private readonly StreamWriter _file;

    public Report(string path, string command, string serviceAssembly)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _file = new StreamWriter(path) { AutoFlush = true };
        FilePath = path;
        Command = command;
        Machine = MachineInfo.Describe(serviceAssembly);
    }

    /// <summary>The results file.</summary>
    public string FilePath { get; }

    /// <summary>The command the harness was started with.</summary>
    public string Command { get; }

    public string Machine { get; }

    public void Line(string text = "")
    {
        Console.Out.WriteLine(text);
        _file.WriteLine(text);
    }

    /// <summary>The section heading: name, title, exact command(s), date, machine and load.</summary>
    public void Heading(string name, string title, string aloneCommand)
    {
        Line($"## {name}: {title}");
        Line();
        Line($"- command: `{Command}`");
        if (!string.Equals(aloneCommand, Command, StringComparison.Ordinal))
        {
            Line($"- this scenario alone, same settings: `{aloneCommand}`");
        }

        Line($"- date: {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
        Line($"- machine: {Machine}; load average at start {MachineInfo.LoadAverage()}");
        Line();
    }

    public void Table(MarkdownTable table)
    {
        Line(table.ToString().TrimEnd());
        Line();
    }

    /// <summary>Notes below a table: how it was measured, caveats.</summary>
    public void Notes(IEnumerable<string> notes)
    {
        var any = false;
        foreach (var note in notes)
        {
            Line($"- {note}");
            any = true;
        }

        if (any)
        {
            Line();
        }
    }

    public void Dispose() => _file.Dispose();
}
