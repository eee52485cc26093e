using System.Globalization;
using System.Resources;
using System.Text;
using Enrollment.BuildingBlocks.Time;

namespace Enrollment.Notifications.Domain;

/// <summary>What a message says, in the recipient's words: their child's first name, the school, the language, a deadline.</summary>
internal sealed record TemplateData(string ChildFirstName, string? SchoolNameKy, string? SchoolNameRu, string? LanguageCode,
    DateTimeOffset? Deadline, string? Reason, string? Decision, string? AppealKind);

internal sealed record RenderedMessage(string? Subject, string Body);

/// <summary>
/// Texts from <c>Resources/NotificationTemplates(.ru|.ky).resx</c> by the recipient's language (Kyrgyz, Russian; English for
/// anything else). Deadlines are shown in Asia/Bishkek time. An SMS names the child by first name only: never a PIN, never
/// a surname (only <see cref="TemplateData.ChildFirstName"/> reaches a template).
/// </summary>
internal static class NotificationTemplates
{
    private static readonly ResourceManager Resources =
        new("Enrollment.Notifications.Resources.NotificationTemplates", typeof(NotificationTemplates).Assembly);

    public static CultureInfo CultureFor(string? language) => language switch
    {
        "ky" => CultureInfo.GetCultureInfo("ky"),
        "ru" => CultureInfo.GetCultureInfo("ru"),
        _ => CultureInfo.InvariantCulture,
    };

    public static RenderedMessage Render(NotificationKind kind, NotificationChannel channel, string? language, TemplateData data)
    {
        var culture = CultureFor(language);
        string Text(string key) => Resources.GetString(key, culture) ?? throw new InvalidOperationException($"Template text {key} is missing.");
        string Fill(string template)
        {
            var school = (culture.Name == "ky" ? data.SchoolNameKy ?? data.SchoolNameRu : data.SchoolNameRu ?? data.SchoolNameKy) ?? Text("UnknownSchool");
            var sb = new StringBuilder(template)
                .Replace("{child}", data.ChildFirstName)
                .Replace("{school}", school)
                .Replace("{language}", data.LanguageCode is { } l ? Resources.GetString("Lang_" + l, culture) ?? l : "—")
                .Replace("{deadline}", data.Deadline is { } d ? Bishkek.ToLocal(d).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture) : "—")
                .Replace("{reason}", string.IsNullOrWhiteSpace(data.Reason) ? Text("NoReason") : data.Reason)
                .Replace("{decision}", data.Decision is { } dec ? Resources.GetString("Decision_" + dec, culture) ?? dec : "—")
                .Replace("{appeal}", data.AppealKind is { } a ? Resources.GetString("AppealKind_" + a, culture) ?? a : "—");
            return sb.ToString();
        }

        return channel == NotificationChannel.Sms
            ? new RenderedMessage(null, Fill(Text(kind + "_Sms")))
            : new RenderedMessage(Fill(Text(kind + "_Subject")), Fill(Text(kind + "_Body")));
    }
}
