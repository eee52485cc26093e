using System.Globalization;
using System.Text;

namespace Enrollment.BuildingBlocks.GraphQL;

/// <summary>Opaque cursors for keyset-free offset paging: base64("o:" + offset).</summary>
public static class Cursor
{
    public const int MaxPageSize = 200;

    public static string Encode(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("o:" + offset.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string? cursor, out int offset)
    {
        offset = 0;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("o:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out offset)
                && offset >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

