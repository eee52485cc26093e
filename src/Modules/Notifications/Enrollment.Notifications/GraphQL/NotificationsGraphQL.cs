using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using Enrollment.Notifications.Domain;
using Enrollment.Notifications.Features;
using GraphQL;
using GraphQL.Types;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Notifications.GraphQL;

internal sealed class NotificationKindEnum : EnumerationGraphType<NotificationKind>
{
    public NotificationKindEnum() => Name = "NotificationKind";
}

internal sealed class NotificationChannelEnum : EnumerationGraphType<NotificationChannel>
{
    public NotificationChannelEnum() => Name = "NotificationChannel";
}

internal sealed class NotificationStatusEnum : EnumerationGraphType<MessageStatus>
{
    public NotificationStatusEnum() => Name = "NotificationStatus";
}

internal sealed class NotificationType : ObjectGraphType<NotificationView>
{
    public NotificationType()
    {
        Name = "Notification";
        Description = "One message of the outbox (e-mail or SMS) about an application, in the recipient's language.";
        Field(n => n.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(n => n.ApplicationId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(n => n.Kind, type: typeof(NonNullGraphType<NotificationKindEnum>));
        Field(n => n.Channel, type: typeof(NonNullGraphType<NotificationChannelEnum>));
        Field(n => n.Recipient).Description("The e-mail address or phone number it goes to.");
        Field(n => n.Language).Description("ky, ru or another code (English texts).");
        Field(n => n.Subject, nullable: true).Description("E-mail subject; null for SMS.");
        Field(n => n.Body);
        Field(n => n.Status, type: typeof(NonNullGraphType<NotificationStatusEnum>));
        Field(n => n.Attempts);
        Field(n => n.CreatedAt);
        Field(n => n.SentAt, nullable: true);
        Field(n => n.LastError, nullable: true).Description("Why the last attempt failed.");
    }
}

internal sealed class NotificationsQueryContributor : IQueryContributor
{
    public void Contribute(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<NotificationType>>>>("notifications")
            .Description("Messages sent (or pending) about one application, newest first: for its parent, its schools' administrators and " +
                         "district officers, and the ministry. Errors: NOT_FOUND (unknown or not yours).")
            .For(Roles.Parent, Roles.SchoolAdmin, Roles.DistrictOfficer, Roles.MinistryAdmin)
            .Argument<NonNullGraphType<IdGraphType>>("applicationId")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<IMediator>()
                .Send(new GetApplicationNotifications(c.GetArgument<Guid>("applicationId")), c.CancellationToken));
}
