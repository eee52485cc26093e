namespace Enrollment.BuildingBlocks.Security;

/// <summary>Names of the host's rate-limit policies, for module endpoints (the host registers them; docs/security.md).</summary>
public static class RateLimitPolicies
{
    /// <summary>
    /// API calls (GraphQL, proof uploads and downloads): anonymous callers per client IP, signed-in callers per account
    /// (<c>RateLimits:AnonymousGraphQLPerIp</c>, <c>RateLimits:SignedInPerAccount</c>).
    /// </summary>
    public const string Api = "anonymous-graphql";
}
