using Enrollment.DemoData;

namespace Enrollment.LoadTest;

/// <summary>The demo population as the opening morning sees it: one parent per eligible child, each child once.</summary>
public static class DemoFamilies
{
    /// <summary>
    /// Parents (mother or father, without a demo account) with a passport and a registered address, each with their
    /// children born in [from, to] that no earlier parent took; ordered by PIN (deterministic).
    /// </summary>
    public static IReadOnlyList<LoadFamily> Eligible(DemoDataset data, DateOnly from, DateOnly to)
    {
        var persons = data.Persons.ToDictionary(p => p.Pin, StringComparer.Ordinal);
        var addresses = data.Addresses.ToDictionary(a => a.Pin, StringComparer.Ordinal);
        var accounts = data.Accounts.Where(a => a.Pin is not null).Select(a => a.Pin!).ToHashSet(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<LoadFamily>();
        foreach (var parent in data.ParentLinks.Where(l => l.Relation is "Mother" or "Father").GroupBy(l => l.ParentPin, StringComparer.Ordinal)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var person = persons[parent.Key];
            if (accounts.Contains(parent.Key) || person.PassportNumber is null || !addresses.TryGetValue(parent.Key, out var address))
            {
                continue;
            }

            var children = parent.Select(l => persons[l.ChildPin]).Where(c => c.BirthDate >= from && c.BirthDate <= to && taken.Add(c.Pin))
                .Select(c => c.Pin).ToList();
            if (children.Count > 0)
            {
                result.Add(new LoadFamily(parent.Key, children,
                    new LoadAddress(address.SettlementCode, address.Street, address.House, address.Latitude, address.Longitude)));
            }
        }

        return result;
    }
}
