using Enrollment.Allocation;
using Enrollment.Appeals;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Validation;
using Enrollment.Host.Admin;
using Enrollment.Host.Audit;
using Enrollment.Host.Auth;
using Enrollment.Host.GraphQL;
using Enrollment.Host.Health;
using Enrollment.Host.Infrastructure;
using Enrollment.Host.Jobs;
using Enrollment.Host.Seeding;
using Enrollment.Notifications;
using Enrollment.Quotas;
using Enrollment.Registry;
using Enrollment.Reporting;
using Enrollment.Schools;

var builder = WebApplication.CreateBuilder(args);
var database = DatabaseOptions.From(builder.Configuration);
Directory.CreateDirectory(database.DataDirectory);

builder.Services.AddEnrollmentInfrastructure(builder.Configuration, builder.Environment, database);
builder.Services.AddEnrollmentAuth(builder.Configuration, builder.Environment, database);
builder.Services.AddEnrollmentAudit(database);
builder.Services.AddEnrollmentAdmin();
builder.Services.AddEnrollmentGraphQL(builder.Configuration, builder.Environment);
builder.Services.AddEnrollmentJobs(builder.Configuration, database);
builder.Services.AddEnrollmentHealth();

builder.Services
    .AddSchoolsModule(database)
    .AddQuotasModule(database)
    .AddRegistryModule(database)
    .AddAllocationModule(database)
    .AddReportingModule(database)
    .AddAppealsModule(database)
    .AddNotificationsModule(database);

builder.Services.AddMediator((Mediator.MediatorOptions options) =>
{
    options.Namespace = "Enrollment.Host.Mediator";
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.Assemblies =
    [
        typeof(Program),
        typeof(SchoolsModule), typeof(Enrollment.Schools.Contracts.SchoolsContracts),
        typeof(QuotasModule), typeof(Enrollment.Quotas.Contracts.QuotasContracts),
        typeof(RegistryModule), typeof(Enrollment.Registry.Contracts.RegistryContracts),
        typeof(AllocationModule), typeof(Enrollment.Allocation.Contracts.AllocationContracts),
        typeof(ReportingModule), typeof(Enrollment.Reporting.Contracts.ReportingContracts),
        typeof(AppealsModule), typeof(Enrollment.Appeals.Contracts.AppealsContracts),
        typeof(NotificationsModule), // its Contracts hold no messages yet (the generator refuses an assembly without any)
    ];
    options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
});

// Last, so it wraps every logging provider (including ones a test host adds): personal data never reaches a log.
Enrollment.Host.Security.MaskingLoggerFactory.Register(builder.Services);

var app = builder.Build();

if (args.Contains("verify-audit"))
{
    return await AuditVerifier.RunCommandAsync(app.Services);
}

app.Services.InitializeSchema();
await app.Services.MigrateAndSeedAsync(app.Configuration, app.Lifetime.ApplicationStopping);

app.UseEnrollmentPipeline();
app.MapGraphQLEndpoint("/graphql");
app.MapGet("/graphql/schema.graphql", (IServiceProvider services) =>
    Results.Text(services.PrintSdl(), "text/plain; charset=utf-8")).AllowAnonymous();
app.MapGet("/graphql/ui", (IWebHostEnvironment env) =>
    Results.File(env.WebRootFileProvider.GetFileInfo("graphiql/index.html").CreateReadStream(), "text/html; charset=utf-8")).AllowAnonymous();
app.MapEnrollmentAdmin();
app.MapEnrollmentJobs();
app.MapEnrollmentHealth();

app.MapSchoolsModule();
app.MapQuotasModule();
app.MapRegistryModule();
app.MapAllocationModule();
app.MapReportingModule();
app.MapAppealsModule();
app.MapNotificationsModule();

app.PrintStartupBanner();
await app.RunAsync();
return 0;
