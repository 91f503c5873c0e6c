using System.Text;

namespace ClickstreamApi.LoadBench.Reporting;

/// <summary>A Markdown table: the first column and those listed in <c>leftAligned</c> (text, by index) are left-aligned, the rest right-aligned (numbers).</summary>
internal sealed class MarkdownTable(IReadOnlyList<string> headers, params int[] leftAligned)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public void Add(params string[] cells)
    {
        if (cells.Length > headers.Count)
        {
            throw new ArgumentException($"{cells.Length} cells for {headers.Count} columns", nameof(cells));
        }

        // Short rows (a tool that did not run) are padded so the table stays well-formed.
        var row = new string[headers.Count];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = i < cells.Length ? cells[i].Replace("|", "\\|", StringComparison.Ordinal) : string.Empty;
        }

        _rows.Add(row);
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", headers).AppendLine(" |");
        text.Append('|');
        for (var i = 0; i < headers.Count; i++)
        {
            text.Append(i == 0 || leftAligned.Contains(i) ? " --- |" : " ---: |");
        }

        text.AppendLine();
        foreach (var row in _rows)
        {
            text.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        return text.ToString();
    }
}
