using System.Globalization;
using System.Text;
using MiniExcelLibs;

namespace Enrollment.Reporting.Features.Export;

/// <summary>A report as a plain table (column names + rows of values), written as CSV or .xlsx (MiniExcel).</summary>
internal sealed record Table(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static Table From<T>(IEnumerable<T> items, params (string Column, Func<T, object?> Value)[] columns) =>
        new([.. columns.Select(c => c.Column)], [.. items.Select(i => columns.Select(c => c.Value(i)).ToArray())]);

    /// <summary>RFC 4180 CSV, UTF-8 with a BOM (so spreadsheet programs read Cyrillic), invariant numbers and ISO dates.</summary>
    public byte[] ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', Columns.Select(Quote)).Append("\r\n");
        foreach (var row in Rows)
        {
            sb.AppendJoin(',', row.Select(v => Quote(Format(v)))).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    public byte[] ToXlsx(string sheet = "Report")
    {
        var rows = Rows.Select(r =>
        {
            IDictionary<string, object?> d = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < Columns.Count; i++)
            {
                d[Columns[i]] = r[i] switch { DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), var v => v };
            }

            return d;
        }).ToList();
        using var stream = new MemoryStream();
        if (rows.Count == 0)
        {
            // MiniExcel needs a row to learn the columns: write the header alone.
            stream.SaveAs(new[] { Columns.ToDictionary(c => c, object? (_) => null) }, sheetName: sheet, printHeader: true);
        }
        else
        {
            stream.SaveAs(rows, sheetName: sheet);
        }

        return stream.ToArray();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\r', '\n']) >= 0 || s.StartsWith(' ') || s.EndsWith(' ') ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
