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
            .Description("Sign in with a user name (a parent's PIN) and password. Errors: INVALID_CREDENTIALS, ACCOUNT_LOCKED.")
            .Public()
            .Argument<NonNullGraphType<StringGraphType>>("userName")
            .Argument<NonNullGraphType<StringGraphType>>("password")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<TokenService>()
                .LoginAsync(c.GetArgument<string>("userName"), c.GetArgument<string>("password"), c.CancellationToken));

        mutation.Field<NonNullGraphType<TokenPairType>>("refreshToken")
            .Description("Exchange a refresh token (single use) for a new pair. Errors: INVALID_REFRESH_TOKEN.")
            .Public()
            .Argument<NonNullGraphType<StringGraphType>>("refreshToken")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<TokenService>()
                .RefreshAsync(c.GetArgument<string>("refreshToken"), c.CancellationToken));
    }
}
