namespace Enrollment.Schools.Domain.Addresses;

/// <summary>Two spellings of one street in one settlement, e.g. "улица Ленина" and "Ленин көчөсү".</summary>
internal sealed record StreetAlias(string SettlementCode, string Street, string Variant);

/// <summary>
/// Links the Kyrgyz and Russian (or old and new) names of a street within a settlement, so that all of them
/// resolve to one canonical key. Links are transitive (A↔B and B↔C make A, B, C one street); the canonical key of a
/// group is its ordinally smallest normalized key, so the result does not depend on the order of the links.
/// Immutable and safe for concurrent reads.
/// </summary>
internal sealed class StreetAliasTable
{
    private readonly Dictionary<(string Settlement, string Key), string> _canonical;

    public StreetAliasTable(IEnumerable<StreetAlias> aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);

        // Union-find over (settlement, normalized key).
        var parent = new Dictionary<(string, string), (string, string)>();
        (string, string) Find((string, string) node)
        {
            while (parent.TryGetValue(node, out var up) && up != node)
            {
                node = up;
            }

            return node;
        }

        foreach (StreetAlias alias in aliases)
        {
            string settlement = NormalizeSettlement(alias.SettlementCode);
            string a = StreetNameNormalizer.Normalize(alias.Street);
            string b = StreetNameNormalizer.Normalize(alias.Variant);
            if (a.Length == 0 || b.Length == 0)
            {
                throw new ArgumentException($"An alias needs two non-empty street names (got '{alias.Street}' and '{alias.Variant}').", nameof(aliases));
            }

            var rootA = Find((settlement, a));
            var rootB = Find((settlement, b));
            parent.TryAdd(rootA, rootA);
            parent.TryAdd(rootB, rootB);
            if (rootA == rootB)
            {
                continue;
            }

            // The smaller key becomes the root, so the root is the group's canonical key.
            if (string.CompareOrdinal(rootA.Item2, rootB.Item2) <= 0)
            {
                parent[rootB] = rootA;
            }
            else
            {
                parent[rootA] = rootB;
            }
        }

        _canonical = new Dictionary<(string, string), string>(parent.Count);
        foreach (var node in parent.Keys)
        {
            var root = Find(node);
            if (root != node)
            {
                _canonical[node] = root.Item2;
            }
        }

        Count = _canonical.Count;
    }

    /// <summary>A table without aliases.</summary>
    public static StreetAliasTable Empty { get; } = new([]);

    /// <summary>Number of street keys that are mapped to another (canonical) key.</summary>
    public int Count { get; }

    /// <summary>The canonical key of a street as written (normalizes it first).</summary>
    public string CanonicalKey(string? settlementCode, string? street) =>
        CanonicalKeyOfNormalized(settlementCode, StreetNameNormalizer.Normalize(street));

    /// <summary>The canonical key of an already normalized street key; the key itself when it has no alias.</summary>
    public string CanonicalKeyOfNormalized(string? settlementCode, string normalizedKey)
    {
        if (_canonical.Count == 0 || normalizedKey.Length == 0)
        {
            return normalizedKey;
        }

        return _canonical.TryGetValue((NormalizeSettlement(settlementCode), normalizedKey), out string? canonical)
            ? canonical
            : normalizedKey;
    }

    /// <summary>True when the two names denote the same street of the settlement.</summary>
    public bool AreSameStreet(string? settlementCode, string? street, string? other) =>
        string.Equals(CanonicalKey(settlementCode, street), CanonicalKey(settlementCode, other), StringComparison.Ordinal);

    /// <summary>Settlement codes are identifiers compared ordinally after trimming.</summary>
    internal static string NormalizeSettlement(string? settlementCode) => settlementCode?.Trim() ?? string.Empty;
}
