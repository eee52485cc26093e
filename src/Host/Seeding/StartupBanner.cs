using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Enrollment.Host.Seeding;

internal static class StartupBanner
{
    /// <summary>In development, prints the URLs and the demo accounts once the server listens.</summary>
    public static void PrintStartupBanner(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            return;
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? "http://localhost:5000";
            var text = new System.Text.StringBuilder();
            text.AppendLine();
            text.AppendLine("Enrollment is running:");
            text.AppendLine($"  GraphQL   {address}/graphql");
            text.AppendLine($"  GraphiQL  {address}/graphql/ui");
            text.AppendLine($"  Admin     {address}/admin");
            text.AppendLine($"  Jobs      {address}/admin/jobs");
            text.AppendLine($"  Health    {address}/healthz");
            if (DemoSeeder.DemoAccounts.Count > 0)
            {
                text.AppendLine("Demo accounts (development only):");
                foreach (var a in DemoSeeder.DemoAccounts)
                {
                    // A parent's user name is their PIN: show only its last 4 digits (docs/security.md).
                    var name = a.Role == Enrollment.BuildingBlocks.Security.Roles.Parent ? Security.PersonalData.MaskPin(a.UserName) : a.UserName;
                    text.AppendLine($"  {a.Role,-16} {name,-16} {a.Password}");
                }
            }
            else
            {
                text.AppendLine("Demo accounts: see README (created on the first run against an empty database).");
            }

            Console.WriteLine(text.ToString());
        });
    }
}
