using Enrollment.BuildingBlocks.GraphQL;
using Enrollment.BuildingBlocks.Security;
using GraphQL;
using GraphQL.Types;

namespace Enrollment.Host.Auth;

internal sealed class TokenPairType : ObjectGraphType<TokenPair>
{
    public TokenPairType()
    {
        Name = "TokenPair";
        Description = "A short-lived bearer token for the Authorization header, and a single-use refresh token.";
        Field(t => t.AccessToken);
        Field(t => t.AccessTokenExpiresAt);
        Field(t => t.RefreshToken);
        Field(t => t.RefreshTokenExpiresAt);
    }
}

internal sealed class ViewerType : ObjectGraphType<ICurrentUser>
{
    public ViewerType()
    {
        Name = "Viewer";
        Description = "The signed-in user and the scope their queries are limited to.";
        Field<string>("userName").Resolve(c => c.Source.UserName);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("roles").Resolve(c => c.Source.Roles);
        Field<string>("districtCode", nullable: true).Resolve(c => c.Source.DistrictCode);
        Field<string>("schoolCode", nullable: true).Resolve(c => c.Source.SchoolCode);
    }
}

internal sealed class StaffAccountType : ObjectGraphType<StaffAccountDto>
{
    public StaffAccountType()
    {
        Name = "StaffAccount";
        Description = "An account as the ministry manages it (no secrets).";
        Field(a => a.UserName);
        Field(a => a.DisplayName);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("roles").Resolve(c => c.Source.Roles);
        Field(a => a.DistrictCode, nullable: true);
        Field(a => a.SchoolCode, nullable: true);
        Field(a => a.IsDisabled);
    }
}

internal sealed class PasswordResetType : ObjectGraphType<PasswordResetResult>
{
    public PasswordResetType()
    {
        Name = "PasswordReset";
        Description = "A one-time password: shown once, hand it to the user; it is not stored in clear anywhere.";
        Field(r => r.UserName);
        Field(r => r.OneTimePassword);
    }
}

internal sealed class AuthContributor : IQueryContributor, IMutationContributor
{
    void IQueryContributor.Contribute(ObjectGraphType query) =>
        query.Field<ViewerType>("viewer")
            .Description("The signed-in user; null when anonymous.")
            .Public()
            .Resolve(c => c.User?.Identity?.IsAuthenticated == true ? new ClaimsCurrentUser(c.User) : null);

    void IMutationContributor.Contribute(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<TokenPairType>>("login")
            .Description("Sign in with a user name (a parent's PIN) and password. Errors: INVALID_CREDENTIALS, ACCOUNT_LOCKED, RATE_LIMITED (HTTP 429).")
            .Public()
            .Argument<NonNullGraphType<StringGraphType>>("userName")
            .Argument<NonNullGraphType<StringGraphType>>("password")
            .ResolveAsync(async c => await Limited(c, c.GetArgument<string>("userName")).GetRequiredService<TokenService>()
                .LoginAsync(c.GetArgument<string>("userName"), c.GetArgument<string>("password"), c.CancellationToken));

        mutation.Field<NonNullGraphType<TokenPairType>>("refreshToken")
            .Description("Exchange a refresh token (single use) for a new pair. Errors: INVALID_REFRESH_TOKEN, RATE_LIMITED (HTTP 429).")
            .Public()
            .Argument<NonNullGraphType<StringGraphType>>("refreshToken")
            .ResolveAsync(async c => await Limited(c, "refresh:" + TokenService.Hash(c.GetArgument<string>("refreshToken"))).GetRequiredService<TokenService>()
                .RefreshAsync(c.GetArgument<string>("refreshToken"), c.CancellationToken));

        mutation.Field<NonNullGraphType<TokenPairType>>("signUp")
            .Description("A parent creates an account with their PIN and a password, and is signed in. Errors: PIN_REQUIRED, " +
                "PIN_NOT_14_DIGITS, PIN_BAD_SEX_DIGIT, PIN_BAD_BIRTH_DATE, PIN_BIRTH_DATE_MISMATCH, NOT_IN_POPULATION_REGISTRY, " +
                "NOT_AN_ADULT, NO_LINKED_CHILDREN, ACCOUNT_EXISTS, WEAK_PASSWORD, REGISTRY_UNAVAILABLE, RATE_LIMITED.")
            .Public()
            .Argument<NonNullGraphType<StringGraphType>>("pin")
            .Argument<NonNullGraphType<StringGraphType>>("password")
            .ResolveAsync(async c => await Limited(c, c.GetArgument<string>("pin")).GetRequiredService<AccountService>()
                .SignUpAsync(c.GetArgument<string>("pin"), c.GetArgument<string>("password"), c.CancellationToken));

        mutation.Field<NonNullGraphType<StaffAccountType>>("createStaffAccount")
            .Description("Ministry: creates a staff account without a password (then call resetPassword). Errors: INVALID_USER_NAME, " +
                "INVALID_ROLE, INVALID_SCOPE, ACCOUNT_EXISTS.")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<StringGraphType>>("userName")
            .Argument<NonNullGraphType<StringGraphType>>("displayName")
            .Argument<NonNullGraphType<StringGraphType>>("role", "SchoolAdmin, DistrictOfficer, MinistryAdmin or Analyst.")
            .Argument<StringGraphType>("districtCode", "Required for a DistrictOfficer.")
            .Argument<StringGraphType>("schoolCode", "Required for a SchoolAdmin.")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<AccountService>().CreateStaffAsync(
                c.GetArgument<string>("userName"), c.GetArgument<string>("displayName"), c.GetArgument<string>("role"),
                c.GetArgument<string?>("districtCode"), c.GetArgument<string?>("schoolCode"), c.CancellationToken));

        mutation.Field<NonNullGraphType<StaffAccountType>>("disableAccount")
            .Description("Ministry: the account can no longer sign in; its access and refresh tokens stop working now, its admin sessions within a minute. " +
                "Errors: USER_NOT_FOUND, CANNOT_CHANGE_OWN_ACCOUNT.")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<StringGraphType>>("userName")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<AccountService>()
                .DisableAsync(c.GetArgument<string>("userName"), c.CancellationToken));

        mutation.Field<NonNullGraphType<StaffAccountType>>("enableAccount")
            .Description("Ministry: a disabled account may sign in again. Errors: USER_NOT_FOUND.")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<StringGraphType>>("userName")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<AccountService>()
                .EnableAsync(c.GetArgument<string>("userName"), c.CancellationToken));

        mutation.Field<NonNullGraphType<PasswordResetType>>("resetPassword")
            .Description("Ministry: sets a generated one-time password (returned once), lifts a lockout and revokes access and refresh tokens. " +
                "Errors: USER_NOT_FOUND.")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<StringGraphType>>("userName")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<AccountService>()
                .ResetPasswordAsync(c.GetArgument<string>("userName"), c.CancellationToken));

        mutation.Field<NonNullGraphType<StaffAccountType>>("signOutEverywhere")
            .Description("Ministry: revokes the account's access and refresh tokens now and ends its admin sessions (within the one-minute " +
                "stamp validation interval). Errors: USER_NOT_FOUND.")
            .For(Roles.MinistryAdmin)
            .Argument<NonNullGraphType<StringGraphType>>("userName")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<AccountService>()
                .SignOutEverywhereAsync(c.GetArgument<string>("userName"), c.CancellationToken));
    }

    /// <summary>Applies the per-IP and per-account sign-in limits, then gives the request's services.</summary>
    private static IServiceProvider Limited(IResolveFieldContext context, string account)
    {
        var services = context.RequestServices!;
        services.GetRequiredService<Security.SignInRateLimiter>().Check(services.GetService<IHttpContextAccessor>()?.HttpContext, account);
        return services;
    }
}
