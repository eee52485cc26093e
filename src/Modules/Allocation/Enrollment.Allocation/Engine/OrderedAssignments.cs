using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Enrollment.Allocation.Engine;

/// <summary>
/// Application id → assigned program id (null when unassigned), enumerated in the order given
/// (the engine gives ids sorted ordinally). Read-only; lookups by id are O(1).
/// </summary>
internal sealed class OrderedAssignments : IReadOnlyDictionary<string, string?>
{
    private readonly string[] _keys;
    private readonly string?[] _values;
    private readonly Dictionary<string, int> _index;

    public OrderedAssignments(string[] keys, string?[] values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        if (keys.Length != values.Length)
        {
            throw new ArgumentException("Keys and values differ in length.", nameof(values));
        }

        _keys = keys;
        _values = values;
        _index = new Dictionary<string, int>(keys.Length, StringComparer.Ordinal);
        for (var k = 0; k < keys.Length; k++)
        {
            _index.Add(keys[k], k);
        }
    }

    public int Count => _keys.Length;

    public IEnumerable<string> Keys => _keys;

    public IEnumerable<string?> Values => _values;

    public string? this[string key] => _values[_index[key]];

    public bool ContainsKey(string key) => _index.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        if (_index.TryGetValue(key, out var k))
        {
            value = _values[k];
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        for (var k = 0; k < _keys.Length; k++)
        {
            yield return new KeyValuePair<string, string?>(_keys[k], _values[k]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
