using Enrollment.Host.Tests.Appeals;
using Enrollment.Host.Tests.GraphQL;
using Enrollment.Notifications.Features.Delivery;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Host.Tests.Notifications;

/// <summary>The delivery job in the real host: registered every minute, and run by Hangfire it writes the outbox files.</summary>
[Collection(HostCollection.Name)]
public sealed class NotificationJobTests(AppealsFactory factory) : IClassFixture<AppealsFactory>
{
    [Fact]
    public void Delivery_job_is_registered_every_minute()
    {
        using var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetRecurringJobs().Single(j => j.Id == NotificationDeliveryJob.Id);
        Assert.Equal(Cron.Minutely(), job.Cron);
    }

    [Fact]
    public async Task Hangfire_run_of_the_delivery_job_writes_the_answer_notification_to_the_data_folder()
    {
        var api = factory.CreateClient();
        var parent = Tiny.Parents[0];
        var officerAccount = Tiny.Account("DistrictOfficer");
        var school = Tiny.Data.Schools.First(s => s.DistrictCode == officerAccount.DistrictCode);
        var (_, campaign) = await api.PostAsync("{ currentCampaign { id } }");
        var application = factory.AddApplication(Guid.Parse(campaign["data"]!["currentCampaign"]!["id"]!.GetValue<string>()), parent.Pin!,
            school.Code, school.DistrictCode, "job@example.kg");
        var parentToken = await api.LoginAsync(parent.UserName, parent.Password);
        var (_, filed) = await api.PostAsync("mutation($a: ID!) { fileAppeal(applicationId: $a, kind: REJECTION, text: \"Our documents are in order.\") { id } }",
            new { a = application }, parentToken);
        var appealId = filed["data"]!["fileAppeal"]!["id"]!.GetValue<string>();
        var officerToken = await api.LoginAsync(officerAccount.UserName, officerAccount.Password);
        var (_, answered) = await api.PostAsync("mutation($id: ID!) { answerAppeal(appealId: $id, decision: DISMISSED, text: \"The address is outside.\") { status } }",
            new { id = appealId }, officerToken);
        Assert.Null(answered["errors"]);

        factory.Services.GetRequiredService<IRecurringJobManager>().Trigger(NotificationDeliveryJob.Id);
        var outbox = Path.Combine(factory.DataDirectory, "outbox");

        // Other recurring jobs may succeed meanwhile (the stage watch on a shared server), so wait for the delivery's own result.
        string? mail = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (mail is null && DateTime.UtcNow < deadline)
        {
            mail = Directory.Exists(outbox)
                ? Directory.GetFiles(outbox, "*.eml").Select(File.ReadAllText).SingleOrDefault(t => t.Contains("To: job@example.kg", StringComparison.Ordinal))
                : null;
            if (mail is null)
            {
                await Task.Delay(200);
            }
        }

        Assert.True(mail is not null, "the delivery job did not write the answer notification within 30 s");
        Assert.Contains("отклонено", mail, StringComparison.Ordinal);
        Assert.Contains("Нурай", mail, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(outbox, "*.sms.txt").Select(File.ReadAllText), t => t.Contains("Нурай", StringComparison.Ordinal)
            && t.Contains("+996700000001", StringComparison.Ordinal));
    }
}
