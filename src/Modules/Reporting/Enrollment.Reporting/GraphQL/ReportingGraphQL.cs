using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Reporting.Contracts;
using GraphQL;
using GraphQL.Types;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Reporting.GraphQL;

internal sealed class RegionSummaryType : ObjectGraphType<RegionSummaryDto>
{
    public RegionSummaryType()
    {
        Name = "RegionSummary";
        Description = "Open data for one region (no personal data).";
        Field(r => r.RegionCode);
        Field(r => r.NameKy);
        Field(r => r.NameRu);
        Field(r => r.Districts);
        Field(r => r.Schools);
        Field(r => r.ParticipatingSchools);
    }
}

internal sealed class AreaLevelEnum : EnumerationGraphType<AreaLevel>
{
    public AreaLevelEnum()
    {
        Name = "AreaLevel";
        Description = "What an open-data row sums up: the country, a region, a district or a school.";
    }
}

internal sealed class OpenDataApplicationsRowType : ObjectGraphType<OpenDataApplicationsRowDto>
{
    public OpenDataApplicationsRowType()
    {
        Name = "OpenDataApplicationsRow";
        Description = "Applications (drafts left out) at the school of their first choice, by language, grade, stage and status.";
        Field(r => r.AreaCode).Description("Region, district or school code; KG for the country.");
        Field(r => r.AreaNameKy);
        Field(r => r.AreaNameRu);
        Field(r => r.Language);
        Field(r => r.Grade);
        Field(r => r.Stage).Description("Stage the application was submitted in.");
        Field(r => r.Status);
        Field(r => r.Applications);
        Field(r => r.Privileged).Description("With a verified priority category.");
    }
}

internal sealed class OpenDataSeatsRowType : ObjectGraphType<OpenDataSeatsRowDto>
{
    public OpenDataSeatsRowType()
    {
        Name = "OpenDataSeatsRow";
        Description = "Seats per area, language and grade, with the applications and privileged children whose first choice is there.";
        Field(r => r.AreaCode);
        Field(r => r.AreaNameKy);
        Field(r => r.AreaNameRu);
        Field(r => r.Language);
        Field(r => r.Grade);
        Field(r => r.Programs);
        Field(r => r.ApprovedSeats);
        Field(r => r.Offers).Description("Seats held by offers (offered or confirmed).");
        Field(r => r.Enrolled);
        Field(r => r.FreeSeats);
        Field(r => r.Applications);
        Field(r => r.Privileged);
    }
}

internal sealed class OpenDataProgramType : ObjectGraphType<OpenDataProgramDto>
{
    public OpenDataProgramType()
    {
        Name = "OpenDataProgram";
        Description = "One program (school × language × grade) of the current campaign with its seats.";
        Field(r => r.SchoolCode);
        Field(r => r.SchoolNameKy);
        Field(r => r.SchoolNameRu);
        Field(r => r.DistrictCode);
        Field(r => r.RegionCode);
        Field(r => r.Language);
        Field(r => r.Grade);
        Field(r => r.ApprovedSeats);
        Field(r => r.Offers);
        Field(r => r.Enrolled);
        Field(r => r.FreeSeats);
    }
}

internal sealed class DailyApplicationsType : ObjectGraphType<DailyApplicationsDto>
{
    public DailyApplicationsType()
    {
        Name = "DailyApplications";
        Description = "Applications submitted on one Asia/Bishkek day in one region.";
        Field(r => r.Day);
        Field(r => r.RegionCode);
        Field(r => r.Submitted);
    }
}

internal sealed class ReadModelsRebuiltType : ObjectGraphType<ReadModelsRebuiltDto>
{
    public ReadModelsRebuiltType()
    {
        Name = "ReadModelsRebuilt";
        Field(r => r.CampaignId, type: typeof(IdGraphType));
        Field(r => r.ApplicationFacts);
        Field(r => r.ProgramFacts);
        Field(r => r.Days);
    }
}

internal static class Resolve
{
    public static async Task<T> Send<T>(IResolveFieldContext c, IQuery<T> query) =>
        await c.RequestServices!.GetRequiredService<IMediator>().Send(query, c.CancellationToken);

    public static async Task<T> Send<T>(IResolveFieldContext c, ICommand<T> command) =>
        await c.RequestServices!.GetRequiredService<IMediator>().Send(command, c.CancellationToken);
}

internal sealed class ReportingQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<RegionSummaryType>>>>("openDataRegions")
            .Description("Open data per region: districts, schools, participating schools. Public.")
            .Public()
            .ResolveAsync(async c => await Resolve.Send(c, new GetRegionSummaries()));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<OpenDataApplicationsRowType>>>>("openDataApplications")
            .Description("Open data: applications of the current campaign by stage and status per area, language and grade. Public. CSV: /open-data/applications.csv?level=…")
            .Public()
            .Argument<NonNullGraphType<AreaLevelEnum>>("level")
            .Argument<StringGraphType>("regionCode", "Only areas inside this region.")
            .Argument<StringGraphType>("districtCode", "Only areas inside this district.")
            .ResolveAsync(async c => await Resolve.Send(c,
                new GetOpenDataApplications(c.GetArgument<AreaLevel>("level"), c.GetArgument<string?>("regionCode"), c.GetArgument<string?>("districtCode"))));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<OpenDataSeatsRowType>>>>("openDataSeats")
            .Description("Open data: approved seats, offers, enrolled, free seats, applications and privileged children per area, language and grade. Public. CSV: /open-data/seats.csv?level=…")
            .Public()
            .Argument<NonNullGraphType<AreaLevelEnum>>("level")
            .Argument<StringGraphType>("regionCode")
            .Argument<StringGraphType>("districtCode")
            .ResolveAsync(async c => await Resolve.Send(c,
                new GetOpenDataSeats(c.GetArgument<AreaLevel>("level"), c.GetArgument<string?>("regionCode"), c.GetArgument<string?>("districtCode"))));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<OpenDataProgramType>>>>("openDataPrograms")
            .Description("Open data: every program with its seats (filter by region, district, school, language, free seats). Public. CSV: /open-data/programs.csv")
            .Public()
            .Argument<StringGraphType>("regionCode")
            .Argument<StringGraphType>("districtCode")
            .Argument<StringGraphType>("schoolCode")
            .Argument<StringGraphType>("language")
            .Argument<BooleanGraphType>("onlyWithFreeSeats")
            .ResolveAsync(async c => await Resolve.Send(c, new GetOpenDataPrograms(
                c.GetArgument<string?>("regionCode"), c.GetArgument<string?>("districtCode"), c.GetArgument<string?>("schoolCode"),
                c.GetArgument<string?>("language"), c.GetArgument<bool?>("onlyWithFreeSeats") == true)));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<DailyApplicationsType>>>>("openDataDaily")
            .Description("Open data: applications submitted per day (Asia/Bishkek) and region. Public. CSV: /open-data/daily.csv")
            .Public()
            .Argument<StringGraphType>("regionCode")
            .ResolveAsync(async c => await Resolve.Send(c, new GetOpenDataDaily(c.GetArgument<string?>("regionCode"))));
    }
}

internal sealed class ReportingMutationContributor : IMutationContributor
{
    public void Contribute(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<ReadModelsRebuiltType>>("rebuildReportingReadModels")
            .Description("Ministry: recomputes every reporting table of the current campaign from the other modules' Contracts queries.")
            .For(Roles.MinistryAdmin)
            .ResolveAsync(async c => await Resolve.Send(c, new RebuildReadModels()));
}
