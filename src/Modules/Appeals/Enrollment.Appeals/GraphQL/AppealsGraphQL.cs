using Enrollment.Appeals.Contracts;
using Enrollment.Appeals.Domain;
using Enrollment.Appeals.Features;
using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using GraphQL;
using GraphQL.Types;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Appeals.GraphQL;

internal sealed class AppealKindEnum : EnumerationGraphType<AppealKind>
{
    public AppealKindEnum()
    {
        Name = "AppealKind";
        Description = "What is appealed: a rejection, a denied priority claim, or the micro-district resolution of the address.";
    }
}

internal sealed class AppealDecisionEnum : EnumerationGraphType<AppealDecision>
{
    public AppealDecisionEnum() => Name = "AppealDecision";
}

internal sealed class AppealStatusEnum : EnumerationGraphType<AppealStatus>
{
    public AppealStatusEnum() => Name = "AppealStatus";
}

internal sealed class AppealAuthorEnum : EnumerationGraphType<AppealAuthor>
{
    public AppealAuthorEnum() => Name = "AppealAuthor";
}

internal sealed class AppealMessageType : ObjectGraphType<AppealMessageView>
{
    public AppealMessageType()
    {
        Name = "AppealMessage";
        Field(m => m.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(m => m.Author, type: typeof(NonNullGraphType<AppealAuthorEnum>));
        Field(m => m.AuthorName, nullable: true).Description("The officer's user name; null for the parent.");
        Field(m => m.Text);
        Field(m => m.At);
        Field(m => m.IsAnswer).Description("True for the officer's answer (the decision's text).");
    }
}

internal sealed class AppealType : ObjectGraphType<AppealView>
{
    public AppealType()
    {
        Name = "Appeal";
        Description = "A parent's appeal on an application and its thread; every appeal, message and answer is kept.";
        Field(a => a.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(a => a.ApplicationId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(a => a.CampaignId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(a => a.Kind, type: typeof(NonNullGraphType<AppealKindEnum>));
        Field(a => a.SchoolCode, nullable: true).Description("A micro-district appeal: the school the parent says their address belongs to.");
        Field(a => a.Status, type: typeof(NonNullGraphType<AppealStatusEnum>));
        Field(a => a.Decision, type: typeof(AppealDecisionEnum));
        Field(a => a.Text).Description("The parent's appeal.");
        Field(a => a.FiledAt);
        Field(a => a.DueAt).Description("Filed + the campaign's AppealDays (UTC): the officer answers by then.");
        Field(a => a.Overdue).Description("Still open after its due date.");
        Field(a => a.AnsweredAt, nullable: true);
        Field(a => a.AnsweredBy, nullable: true);
        Field(a => a.DistrictCodes, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>))
            .Description("Districts of the application's schools when the appeal was filed: their officers answer it.");
        Field(a => a.Messages, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<AppealMessageType>>>)).Description("The thread, oldest first.");
    }
}

internal sealed class AppealConnectionType : ObjectGraphType<AppealConnection>
{
    public AppealConnectionType()
    {
        Name = "AppealConnection";
        Field(c => c.Nodes, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<AppealType>>>));
        Field(c => c.TotalCount);
        Field(c => c.EndCursor, nullable: true);
        Field(c => c.HasNextPage);
    }
}

internal sealed record AppealConnection(IReadOnlyList<AppealView> Nodes, int TotalCount, string? EndCursor, bool HasNextPage);

internal sealed class AppealFilterInputType : InputObjectGraphType
{
    public AppealFilterInputType()
    {
        Name = "AppealFilter";
        Field<BooleanGraphType>("open").Description("Only unanswered (true) or answered (false) appeals.");
        Field<BooleanGraphType>("overdueOnly").Description("Only open appeals past their due date.");
        Field<AppealKindEnum>("kind");
        Field<StringGraphType>("districtCode");
        Field<IdGraphType>("applicationId");
    }

    public static AppealFilter Read(IResolveFieldContext c)
    {
        if (c.GetArgument<Dictionary<string, object?>?>("filter") is not { } d)
        {
            return new AppealFilter();
        }

        return new AppealFilter(
            d.GetValueOrDefault("open") as bool?, d.GetValueOrDefault("overdueOnly") as bool? ?? false, d.GetValueOrDefault("kind") as AppealKind?,
            d.GetValueOrDefault("districtCode") as string,
            d.GetValueOrDefault("applicationId") is { } id ? Guid.TryParse(id.ToString(), out var g) ? g : throw new ValidationFailed(
                [new Enrollment.BuildingBlocks.Errors.ValidationError("applicationId", "INVALID", "Not an id.")]) : null);
    }
}

internal sealed class AppealsQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AppealType>>>>("myAppeals")
            .Description("The signed-in parent's appeals with their threads, newest first.")
            .For(Roles.Parent)
            .ResolveAsync(async c => await Mediator(c).Send(new GetMyAppeals(), c.CancellationToken));

        query.Field<NonNullGraphType<AppealType>>("appeal")
            .Description("One appeal with its thread, for its parent and its district's officers. Errors: NOT_FOUND.")
            .For(Roles.Parent, Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await Mediator(c).Send(new GetAppeal(c.GetArgument<Guid>("id")), c.CancellationToken));

        query.Field<NonNullGraphType<AppealConnectionType>>("appeals")
            .Description("The appeal queue: open appeals first, most urgent due date first; district officers see their district. " +
                         "Errors: VALIDATION_FAILED (first 1..200), BAD_CURSOR.")
            .For(Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<AppealFilterInputType>("filter")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                if (!Cursor.TryDecode(c.GetArgument<string?>("after"), out var offset))
                {
                    throw new RuleViolation("BAD_CURSOR", "The 'after' cursor is not one this API issued.");
                }

                var page = await Mediator(c).Send(new SearchAppeals(AppealFilterInputType.Read(c), offset, c.GetArgument("first", 50)), c.CancellationToken);
                var end = offset + page.Items.Count;
                return new AppealConnection(page.Items, page.TotalCount, page.Items.Count > 0 ? Cursor.Encode(end) : null, end < page.TotalCount);
            });
    }

    internal static IMediator Mediator(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IMediator>();
}

internal sealed class AppealsMutationContributor : IMutationContributor
{
    public void Contribute(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AppealType>>("fileAppeal")
            .Description("Parent: appeals a decision on their application, within the campaign's appealDays of it. REJECTION: the application "
                         + "is Rejected (upheld → it returns to Submitted with its submission time and enters the next allocation run). "
                         + "PRIORITY_DENIED: its priority claim was rejected (upheld → verified, priority class 0). MICRODISTRICT_RESOLUTION: "
                         + "schoolCode names a choice of the submitted, active application that the micro-district resolution did not make "
                         + "resident (upheld → resident there, priority class 1 in the next run). A dismissed appeal changes nothing. "
                         + "Errors: NOT_FOUND, NOT_YOUR_APPLICATION, APPEAL_WINDOW_CLOSED, APPEAL_NOT_APPLICABLE, APPEAL_DEADLINE_PASSED, "
                         + "APPEAL_ALREADY_OPEN, VALIDATION_FAILED.")
            .For(Roles.Parent)
            .Argument<NonNullGraphType<IdGraphType>>("applicationId")
            .Argument<NonNullGraphType<AppealKindEnum>>("kind")
            .Argument<NonNullGraphType<StringGraphType>>("text")
            .Argument<StringGraphType>("schoolCode", a => a.Description = "MICRODISTRICT_RESOLUTION only: the school (one of the choices) the address belongs to.")
            .ResolveAsync(async c => await AppealsQueryContributor.Mediator(c).Send(
                new FileAppeal(c.GetArgument<Guid>("applicationId"), c.GetArgument<AppealKind>("kind"), c.GetArgument<string>("text"),
                    c.GetArgument<string?>("schoolCode")), c.CancellationToken));

        mutation.Field<NonNullGraphType<AppealType>>("addAppealMessage")
            .Description("The parent or an officer of the appeal adds a message to its thread. Errors: NOT_FOUND, APPEAL_ALREADY_ANSWERED, VALIDATION_FAILED.")
            .For(Roles.Parent, Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("appealId")
            .Argument<NonNullGraphType<StringGraphType>>("text")
            .ResolveAsync(async c => await AppealsQueryContributor.Mediator(c).Send(
                new AddAppealMessage(c.GetArgument<Guid>("appealId"), c.GetArgument<string>("text")), c.CancellationToken));

        mutation.Field<NonNullGraphType<AppealType>>("answerAppeal")
            .Description("District officer of the application's district, or the ministry: answers once (Upheld or Dismissed, with text). " +
                         "Upheld changes the application in Registry (see fileAppeal; history actor = the officer, reason names the appeal); " +
                         "when Registry refuses (the application no longer fits) nothing is saved. " +
                         "Errors: NOT_FOUND, ACCESS_DENIED, APPEAL_ALREADY_ANSWERED, WRONG_STATUS, APPEAL_REMEDY_NOT_APPLICABLE, APPLICATION_EXISTS, VALIDATION_FAILED.")
            .For(Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("appealId")
            .Argument<NonNullGraphType<AppealDecisionEnum>>("decision")
            .Argument<NonNullGraphType<StringGraphType>>("text")
            .ResolveAsync(async c => await AppealsQueryContributor.Mediator(c).Send(
                new AnswerAppeal(c.GetArgument<Guid>("appealId"), c.GetArgument<AppealDecision>("decision"), c.GetArgument<string>("text")), c.CancellationToken));
    }
}
