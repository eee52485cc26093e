using System.Text.Json;

namespace Enrollment.LoadTest;

/// <summary>The prepared parents (tokens and choices) saved between the day before and the opening (<c>--phase</c>, <c>--state</c>).</summary>
public static class PreparedState
{
    private sealed record Row(string ParentPin, string Token, List<string> Children, List<string> Schools, List<string> Languages);

    public static async Task SaveAsync(string path, IReadOnlyList<PreparedParent> parents)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, parents.Select(p => new Row(p.Family.ParentPin, p.Token,
            [.. p.Submits.Select(s => s.ChildPin)], [.. p.Submits.Select(s => s.School)], [.. p.Submits.Select(s => s.Language)])).ToList());
    }

    public static async Task<IReadOnlyList<PreparedParent>> LoadAsync(string path)
    {
        await using var file = File.OpenRead(path);
        var rows = await JsonSerializer.DeserializeAsync<List<Row>>(file) ?? [];
        return [.. rows.Select(r => new PreparedParent(new LoadFamily(r.ParentPin, r.Children, null), r.Token,
            [.. r.Children.Select((c, i) => (c, r.Schools[i], r.Languages[i]))]))];
    }
}
