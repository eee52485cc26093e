using Enrollment.BuildingBlocks.Errors;
using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Registry.Contracts;
using Enrollment.Registry.Domain;
using Enrollment.Registry.Features.Applications;
using GraphQL;
using GraphQL.Types;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Registry.GraphQL;

internal sealed class ApplicationStatusEnum : EnumerationGraphType<ApplicationStatus>
{
    public ApplicationStatusEnum()
    {
        Name = "ApplicationStatus";
        Description = "Draft → Submitted (↔ NeedsCorrection) → Waitlisted → Offered → Confirmed → Enrolled; CommissionReview before "
            + "Submitted where the Commission for Child Affairs must decide; ends: Rejected, Cancelled, Expired, Withdrawn.";
    }
}

internal sealed class PriorityClaimStatusEnum : EnumerationGraphType<PriorityClaimStatus>
{
    public PriorityClaimStatusEnum()
    {
        Name = "PriorityClaimStatus";
        Description = "None, Claimed (not yet verified: counts as no claim), Verified (priority class 0), Rejected (counts as no claim).";
    }
}

internal sealed class ApplicationChoiceType : ObjectGraphType<ApplicationChoice>
{
    public ApplicationChoiceType()
    {
        Name = "ApplicationChoice";
        Field(c => c.Rank);
        Field(c => c.SchoolCode);
        Field(c => c.DistrictCode);
        Field(c => c.Language);
        Field(c => c.Grade);
    }
}

internal sealed class ApplicationHistoryEntryType : ObjectGraphType<ApplicationHistoryEntry>
{
    public ApplicationHistoryEntryType()
    {
        Name = "ApplicationHistoryEntry";
        Description = "An immutable status change (or a note when from = to): who, when, from, to and why.";
        Field(h => h.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(h => h.Sequence).Description("1, 2, 3… in the order of the changes.");
        Field(h => h.At);
        Field(h => h.Actor);
        Field(h => h.From, type: typeof(ApplicationStatusEnum));
        Field(h => h.To, type: typeof(NonNullGraphType<ApplicationStatusEnum>));
        Field(h => h.Reason, nullable: true);
    }
}

internal sealed class CancellationInfoType : ObjectGraphType<CancellationInfoDto>
{
    public CancellationInfoType()
    {
        Name = "CancellationInfo";
        Description = "Cancellations and switches of this child in this campaign.";
        Field(c => c.Used);
        Field(c => c.Limit).Description("The campaign's limit (default 3).");
        Field(c => c.Granted).Description("Extra cancellations granted by the ministry.");
        Field(c => c.Remaining);
        Field(c => c.AllowedNow).Description("False outside the stages and while the ministry's cancellation switch is on.");
        Field(c => c.DisabledPeriods, nullable: true).Description("Announced periods of the cancellation switch (Asia/Bishkek).");
    }
}

internal sealed class ApplicationType : ObjectGraphType<Application>
{
    public ApplicationType()
    {
        Name = "Application";
        Description = "One child's application in one campaign, with ranked choices and its full history.";
        Field(a => a.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(a => a.CampaignId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(a => a.Status, type: typeof(NonNullGraphType<ApplicationStatusEnum>));
        Field(a => a.ChildPin);
        Field(a => a.ChildLastName);
        Field(a => a.ChildFirstName);
        Field(a => a.ChildBirthDate);
        Field(a => a.ApplicantName);
        Field(a => a.Relation).Description("Mother, Father or LegalRepresentative (from the population registry).");
        Field(a => a.Phone, nullable: true);
        Field(a => a.Email, nullable: true);
        Field(a => a.SecondaryEmail, nullable: true);
        Field(a => a.Language).Description("Language of notifications: ky or ru.");
        Field(a => a.PriorityCategory, nullable: true);
        Field(a => a.PriorityStatus, type: typeof(NonNullGraphType<PriorityClaimStatusEnum>));
        Field(a => a.PriorityNote, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("residentSchoolCodes")
            .Description("Micro-district school(s) of a registered address of the child's parents/legal representatives (the applicant's "
                + "or the other linked parent's), as resolved at submission (kept), plus those an upheld micro-district appeal added: "
                + "Stage One admits only these; allocation gives priority class 1 there.")
            .Resolve(c => c.Source.ResidentSchools);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("residentOverrideSchoolCodes")
            .Description("Schools a district officer's upheld micro-district appeal made resident (included in residentSchoolCodes).")
            .Resolve(c => c.Source.ResidentOverrides);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("commissionGrounds")
            .Description("Why the Commission for Child Affairs must decide: OVER_AGE, NO_BIRTH_CERTIFICATE, NO_PASSPORT.")
            .Resolve(c => c.Source.CommissionGrounds?.Split(',') ?? []);
        Field(a => a.CommissionNumber, nullable: true);
        Field(a => a.CommissionDate, nullable: true);
        Field(a => a.CommissionBody, nullable: true);
        Field(a => a.CommissionApproved, nullable: true);
        Field(a => a.SubmittedAt, nullable: true);
        Field(a => a.SubmittedInStage, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("mismatches")
            .Description("What the parent must correct (NeedsCorrection).")
            .Resolve(c => c.Source.Mismatches?.Split('\n') ?? []);
        Field(a => a.CorrectionDueAt, nullable: true).Description("After this instant the application is cancelled automatically.");
        Field(a => a.OfferSchoolCode, nullable: true);
        Field(a => a.OfferLanguage, nullable: true);
        Field(a => a.OfferConfirmBy, nullable: true);
        Field(a => a.EnrolledSchoolCode, nullable: true);
        Field(a => a.EnrolledLanguage, nullable: true);
        Field(a => a.EnrollmentOrderNumber, nullable: true);
        Field(a => a.EnrollmentOrderDate, nullable: true);
        Field(a => a.RejectionReason, nullable: true);
        Field(a => a.WrittenApplicationNumber, nullable: true).Description("A late arrival enrolled without an online application: the written application's number.");
        Field(a => a.WrittenApplicationDate, nullable: true);
        Field(a => a.CreatedAt);
        Field(a => a.UpdatedAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ApplicationChoiceType>>>>("choices")
            .Resolve(c => c.Source.Choices.OrderBy(x => x.Rank).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ApplicationHistoryEntryType>>>>("history")
            .Description("Every status change, oldest first.")
            .Resolve(c => c.Source.History.OrderBy(h => h.Sequence).ToList());
        ProofFileType.AddProofFields(this);
        Field<NonNullGraphType<CancellationInfoType>>("cancellations")
            .Description("How many cancellations/switches remain for this child, and the cancellation switch's announced periods.")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>()
                .Send(new GetCancellationInfo(c.Source.CampaignId, c.Source.ChildPin), c.CancellationToken));
    }
}

internal sealed class ApplicationConnectionType : ObjectGraphType<ApplicationConnection>
{
    public ApplicationConnectionType()
    {
        Name = "ApplicationConnection";
        Field(c => c.Nodes, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<ApplicationType>>>));
        Field(c => c.TotalCount);
        Field(c => c.EndCursor, nullable: true);
        Field(c => c.HasNextPage);
    }
}

internal sealed record ApplicationConnection(IReadOnlyList<Application> Nodes, int TotalCount, string? EndCursor, bool HasNextPage);

internal sealed class ChoiceInputType : InputObjectGraphType
{
    public ChoiceInputType()
    {
        Name = "ChoiceInput";
        Description = "A ranked choice: school code and language of instruction (ky, ru, uz, tg); grade 1.";
        Field<NonNullGraphType<StringGraphType>>("schoolCode");
        Field<NonNullGraphType<StringGraphType>>("language");
    }

    public static List<ChoiceInput> Read(object? value) => value is IEnumerable<object?> items
        ? [.. items.OfType<IDictionary<string, object?>>().Select(d => new ChoiceInput(d["schoolCode"] as string ?? "", d["language"] as string ?? ""))]
        : [];
}

internal sealed class ContactsInputType : InputObjectGraphType
{
    public ContactsInputType()
    {
        Name = "ContactsInput";
        Field<StringGraphType>("phone");
        Field<StringGraphType>("email");
        Field<StringGraphType>("secondaryEmail");
        Field<StringGraphType>("language").Description("Language of notifications: ky or ru.");
    }

    public static ContactsInput Read(object? value) => value is IDictionary<string, object?> d
        ? new ContactsInput(Get(d, "phone"), Get(d, "email"), Get(d, "secondaryEmail"), Get(d, "language"))
        : new ContactsInput(null, null, null, null);

    private static string? Get(IDictionary<string, object?> d, string key) => d.TryGetValue(key, out var v) ? v as string : null;
}

internal sealed class SubmitApplicationInputType : InputObjectGraphType
{
    public SubmitApplicationInputType()
    {
        Name = "SubmitApplicationInput";
        Field<NonNullGraphType<StringGraphType>>("childPin");
        Field<StringGraphType>("idempotencyKey").Description("Client-chosen key (≤ 64 chars): a retried submit with the same key returns the same application.");
        Field<ContactsInputType>("contacts");
        Field<NonNullGraphType<BooleanGraphType>>("consent").Description("Consent to the processing of personal data (required).");
        Field<StringGraphType>("priorityCategory").Description("MilitaryFamily, Kairylman, DifficultLifeSituation or Disability.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChoiceInputType>>>>("choices").Description("Ranked, first = most wanted; at most the campaign's maxChoices.");
        Field<IdGraphType>("priorityProofId").Description(ProofFileType.PriorityProofArgument);
        Field<IdGraphType>("representativeProofId").Description(ProofFileType.RepresentativeProofArgument);
    }

    public static SubmitApplication Read(IResolveFieldContext c)
    {
        var d = (IDictionary<string, object?>)c.Arguments!["input"].Value!;
        return new SubmitApplication(d["childPin"] as string ?? "", d.TryGetValue("idempotencyKey", out var k) ? k as string : null,
            ContactsInputType.Read(d.TryGetValue("contacts", out var contacts) ? contacts : null), d["consent"] is true,
            d.TryGetValue("priorityCategory", out var p) ? p as string : null, ChoiceInputType.Read(d["choices"]),
            ProofFileType.ReadId(d, "priorityProofId"), ProofFileType.ReadId(d, "representativeProofId"));
    }
}

internal sealed class RegistryApplicationsQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ApplicationType>>>>("myApplications")
            .Description("The signed-in parent's applications (all campaigns), newest first, each with its history.")
            .For(Roles.Parent)
            .ResolveAsync(async c => await Send(c, new GetMyApplications()));

        query.Field<ApplicationType>("application")
            .Description("One application with its history: a parent sees only their own; staff only those in their school/district "
                + "(the ministry all). Null when it does not exist or is not yours.")
            .For(Roles.Parent, Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await Send(c, new GetApplication(c.GetArgument<Guid>("id"))));

        query.Field<NonNullGraphType<ApplicationConnectionType>>("applications")
            .Description("Staff: submitted applications in your scope (school admins: your school; district officers: your district; "
                + "ministry: all), filtered and paged (cursor). Errors: VALIDATION_FAILED (first 1..200), BAD_CURSOR.")
            .For(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<StringGraphType>("schoolCode")
            .Argument<StringGraphType>("districtCode")
            .Argument<ApplicationStatusEnum>("status")
            .Argument<StringGraphType>("language")
            .Argument<PriorityClaimStatusEnum>("priorityStatus")
            .Argument<StringGraphType>("childPin")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 50)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                if (!Cursor.TryDecode(c.GetArgument<string?>("after"), out var offset))
                {
                    throw new RuleViolation("BAD_CURSOR", "The 'after' cursor is not one this API issued.");
                }

                var filter = new ApplicationFilter(c.GetArgument<string?>("schoolCode"), c.GetArgument<string?>("districtCode"),
                    c.GetArgument<ApplicationStatus?>("status"), c.GetArgument<string?>("language"), c.GetArgument<PriorityClaimStatus?>("priorityStatus"),
                    c.GetArgument<string?>("childPin"));
                var page = await Send(c, new SearchApplications(filter, offset, c.GetArgument("first", 50)));
                var end = offset + page.Items.Count;
                return new ApplicationConnection(page.Items, page.TotalCount, page.Items.Count > 0 ? Cursor.Encode(end) : null, end < page.TotalCount);
            });
    }

    private static async Task<T> Send<T>(IResolveFieldContext c, IQuery<T> query) =>
        await c.RequestServices!.GetRequiredService<IMediator>().Send(query, c.CancellationToken);
}

internal sealed class RegistryApplicationsMutationContributor : IMutationContributor
{
    private const string Common = " Errors also: NOT_FOUND (not yours or unknown), WRONG_STATUS, CONCURRENT_CHANGE, VALIDATION_FAILED.";

    public void Contribute(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ApplicationType>>("createDraft")
            .Description("Parent: prepares (or returns) the draft for a linked child, from the quota-entry window on, pre-verified against the "
                + "population registry (commissionGrounds shows what needs a Commission decision). Errors: DRAFTS_NOT_OPEN, CHILD_NOT_LINKED, "
                + "APPLICATION_EXISTS, CHILD_TOO_YOUNG, NO_CAMPAIGN, PIN_*, REGISTRY_UNAVAILABLE.")
            .For(Roles.Parent)
            .Argument<NonNullGraphType<StringGraphType>>("childPin")
            .Argument<IdGraphType>("priorityProofId", ProofFileType.PriorityProofArgument)
            .Argument<IdGraphType>("representativeProofId", ProofFileType.RepresentativeProofArgument)
            .ResolveAsync(async c => await Send(c, new CreateDraft(c.GetArgument<string>("childPin"),
                c.GetArgument<Guid?>("priorityProofId"), c.GetArgument<Guid?>("representativeProofId"))));

        mutation.Field<NonNullGraphType<ApplicationType>>("submitApplication")
            .Description("Parent: submits the child's application (its draft when there is one) → Submitted, or CommissionReview when over "
                + "age or a document is missing in the registry. Stage One: only the micro-district school(s) of your registered address. "
                + "Errors: STAGE_CLOSED, CONSENT_REQUIRED, CHILD_NOT_LINKED, APPLICATION_EXISTS, NO_CHOICES, TOO_MANY_CHOICES, DUPLICATE_CHOICE, "
                + "SCHOOL_OUTSIDE_MICRODISTRICT, PROGRAM_NOT_AVAILABLE, UNKNOWN_PRIORITY_CATEGORY, CHILD_TOO_YOUNG, NO_CAMPAIGN, PIN_*, "
                + "REGISTRY_UNAVAILABLE, VALIDATION_FAILED, REPRESENTATIVE_PROOF_REQUIRED (a legal representative without representativeProofId), "
                + "PROOF_KIND_MISMATCH, NOT_FOUND (a proof id that is not yours).")
            .For(Roles.Parent)
            .Argument<NonNullGraphType<SubmitApplicationInputType>>("input")
            .ResolveAsync(async c => await Send(c, SubmitApplicationInputType.Read(c)));

        mutation.Field<NonNullGraphType<ApplicationType>>("correctApplication")
            .Description("Parent: fixes an application in NeedsCorrection (contacts, priority claim; empty priorityCategory drops the claim) "
                + "→ Submitted. Errors: CORRECTION_OVERDUE, UNKNOWN_PRIORITY_CATEGORY." + Common)
            .For(Roles.Parent)
            .Argument<NonNullGraphType<IdGraphType>>("applicationId")
            .Argument<ContactsInputType>("contacts")
            .Argument<StringGraphType>("priorityCategory")
            .Argument<IdGraphType>("priorityProofId", ProofFileType.PriorityProofArgument)
            .Argument<IdGraphType>("representativeProofId", ProofFileType.RepresentativeProofArgument)
            .ResolveAsync(async c => await Send(c, new CorrectApplication(c.GetArgument<Guid>("applicationId"),
                ContactsInputType.Read(c.Arguments!["contacts"].Value), c.GetArgument<string?>("priorityCategory"),
                c.GetArgument<Guid?>("priorityProofId"), c.GetArgument<Guid?>("representativeProofId"))));

        mutation.Field<NonNullGraphType<ApplicationType>>("cancelApplication")
            .Description("Parent: cancels the application (a held offer is released). Counts against the campaign's cancellation limit "
                + "(a draft is discarded without counting). Errors: CANCELLATION_LIMIT_REACHED, CANCELLATION_DISABLED (with the switch's "
                + "announced period), WITHDRAWAL_ONLY_BY_SCHOOL (after enrollment)." + Common)
            .For(Roles.Parent)
            .Argument<NonNullGraphType<IdGraphType>>("applicationId")
            .Argument<StringGraphType>("reason")
            .ResolveAsync(async c => await Send(c, new CancelApplication(c.GetArgument<Guid>("applicationId"), c.GetArgument<string?>("reason"))));

        mutation.Field<NonNullGraphType<ApplicationType>>("switchApplication")
            .Description("Parent: replaces the ranked choices (a held offer is released; the application is Submitted again). Counts as one "
                + "cancellation. Errors: STAGE_CLOSED, CANCELLATION_LIMIT_REACHED, CANCELLATION_DISABLED, WITHDRAWAL_ONLY_BY_SCHOOL, "
                + "NO_CHOICES, TOO_MANY_CHOICES, DUPLICATE_CHOICE, SCHOOL_OUTSIDE_MICRODISTRICT, PROGRAM_NOT_AVAILABLE." + Common)
            .For(Roles.Parent)
            .Argument<NonNullGraphType<IdGraphType>>("applicationId")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<ChoiceInputType>>>>("choices")
            .ResolveAsync(async c => await Send(c, new SwitchApplication(c.GetArgument<Guid>("applicationId"), ChoiceInputType.Read(c.Arguments!["choices"].Value))));

        mutation.Field<NonNullGraphType<ApplicationType>>("confirmOffer")
            .Description("Parent: confirms the offer of an Offered application → Confirmed. Errors: OFFER_NOT_FOUND, OFFER_EXPIRED, OFFER_NOT_OPEN." + Common)
            .For(Roles.Parent)
            .Argument<NonNullGraphType<IdGraphType>>("applicationId")
            .ResolveAsync(async c => await Send(c, new ConfirmApplicationOffer(c.GetArgument<Guid>("applicationId"))));

        mutation.Field<NonNullGraphType<ApplicationType>>("verifyPriority")
            .Description("School/district staff: verifies (priority class 0) or rejects (counts as no claim; the application goes on) the "
                + "priority claim. Errors: NO_PRIORITY_CLAIM." + Common)
            .For(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("applicationId")
            .Argument<NonNullGraphType<BooleanGraphType>>("verified")
            .Argument<StringGraphType>("note")
            .ResolveAsync(async c => await Send(c, new VerifyPriority(c.GetArgument<Guid>("applicationId"), c.GetArgument<bool>("verified"), c.GetArgument<string?>("note"))));

        mutation.Field<NonNullGraphType<ApplicationType>>("recordCommissionDecision")
            .Description("District officer: records the Commission for Child Affairs decision (number, date, body, outcome) of an application in "
                + "CommissionReview → Submitted (approved) or Rejected (COMMISSION_REFUSED)." + Common)
            .For(Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("applicationId")
            .Argument<NonNullGraphType<StringGraphType>>("number")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("date")
            .Argument<NonNullGraphType<StringGraphType>>("body")
            .Argument<NonNullGraphType<BooleanGraphType>>("approved")
            .ResolveAsync(async c => await Send(c, new RecordCommissionDecision(c.GetArgument<Guid>("applicationId"), c.GetArgument<string>("number"),
                c.GetArgument<DateOnly>("date"), c.GetArgument<string>("body"), c.GetArgument<bool>("approved"))));

        mutation.Field<NonNullGraphType<ApplicationType>>("markNeedsCorrection")
            .Description("Staff: sends a Submitted or Waitlisted application back to the parent with the list of mismatches; not corrected "
                + "within the campaign's correctionDays it is cancelled automatically (not counted as a parent cancellation)." + Common)
            .For(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("applicationId")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("mismatches")
            .ResolveAsync(async c => await Send(c, new MarkNeedsCorrection(c.GetArgument<Guid>("applicationId"), c.GetArgument<List<string>>("mismatches"))));

        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ApplicationType>>>>("enrollChildren")
            .Description("School: the enrollment order (number, date, the children) → Enrolled, all or nothing. Only Confirmed offers of the "
                + "school; after the main registration closes also Submitted/Waitlisted applications choosing it (late enrollment). "
                + "Errors: NOT_ENROLLABLE, ACCESS_DENIED." + Common)
            .For(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<StringGraphType>>("schoolCode")
            .Argument<NonNullGraphType<StringGraphType>>("orderNumber")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("orderDate")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("applicationIds")
            .Argument<StringGraphType>("language")
            .ResolveAsync(async c => await Send(c, new EnrollChildren(c.GetArgument<string>("schoolCode"), c.GetArgument<string>("orderNumber"),
                c.GetArgument<DateOnly>("orderDate"), c.GetArgument<List<Guid>>("applicationIds"), c.GetArgument<string?>("language"))));

        mutation.Field<NonNullGraphType<ApplicationType>>("enrollLateArrival")
            .Description("School administrator (own school) or ministry, in LateEnrollment and Closed only: enrolls a child who has no "
                + "application, on the parent's written application (number, date). The child is looked up by PIN in the population "
                + "registry, the applicant is the registry-linked mother, father or legal representative; the application is created "
                + "directly in Enrolled with its history, within the program's free seats. Errors: LATE_ENROLLMENT_NOT_OPEN, "
                + "NOT_IN_POPULATION_REGISTRY, NO_APPLICANT_IN_REGISTRY, APPLICATION_EXISTS, PROGRAM_NOT_AVAILABLE, NO_FREE_SEATS, "
                + "CHILD_TOO_YOUNG, COMMISSION_REQUIRED, ACCESS_DENIED, PIN_*, REGISTRY_UNAVAILABLE, VALIDATION_FAILED.")
            .For(Roles.SchoolAdmin, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<StringGraphType>>("childPin")
            .Argument<NonNullGraphType<StringGraphType>>("schoolCode")
            .Argument<NonNullGraphType<StringGraphType>>("language")
            .Argument<NonNullGraphType<StringGraphType>>("writtenApplicationNumber")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("writtenApplicationDate")
            .Argument<StringGraphType>("note")
            .ResolveAsync(async c => await Send(c, new EnrollLateArrival(c.GetArgument<string>("childPin"), c.GetArgument<string>("schoolCode"),
                c.GetArgument<string>("language"), c.GetArgument<string>("writtenApplicationNumber"), c.GetArgument<DateOnly>("writtenApplicationDate"),
                c.GetArgument<string?>("note"))));

        mutation.Field<NonNullGraphType<ApplicationType>>("rejectApplication")
            .Description("Staff: rejects with a reason from the closed list (" + string.Join(", ", ApplicationLists.RejectionReasons)
                + "); a held offer is released. Errors: UNKNOWN_REJECTION_REASON." + Common)
            .For(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("applicationId")
            .Argument<NonNullGraphType<StringGraphType>>("reasonCode")
            .Argument<StringGraphType>("note")
            .ResolveAsync(async c => await Send(c, new RejectApplication(c.GetArgument<Guid>("applicationId"), c.GetArgument<string>("reasonCode"), c.GetArgument<string?>("note"))));

        mutation.Field<NonNullGraphType<ApplicationType>>("recordWithdrawal")
            .Description("School: records a parent's paper withdrawal request after enrollment → Withdrawn." + Common)
            .For(Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("applicationId")
            .Argument<NonNullGraphType<StringGraphType>>("note")
            .ResolveAsync(async c => await Send(c, new RecordWithdrawal(c.GetArgument<Guid>("applicationId"), c.GetArgument<string>("note"))));

        mutation.Field<NonNullGraphType<CancellationInfoType>>("grantExtraCancellation")
            .Description("Ministry: grants the application's child one more cancellation/switch in this campaign, with a recorded reason." + Common)
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("applicationId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async c => await Send(c, new GrantExtraCancellation(c.GetArgument<Guid>("applicationId"), c.GetArgument<string>("reason"))));
    }

    private static async Task<T> Send<T>(IResolveFieldContext c, ICommand<T> command) =>
        await c.RequestServices!.GetRequiredService<IMediator>().Send(command, c.CancellationToken);
}
