using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;

namespace Enrollment.Host.Auth;

internal static class AuthSetup
{
    public const string Smart = "smart";
    public const string StaffPolicy = "Staff";
    public const string MinistryPolicy = "Ministry";

    public static IServiceCollection AddEnrollmentAuth(this IServiceCollection services, IConfiguration configuration,
        IHostEnvironment environment, DatabaseOptions database)
    {
        var options = new AuthOptions();
        configuration.GetSection("Auth").Bind(options);
        var key = AuthOptions.ResolveKey(options, environment, database.DataDirectory);
        services.AddSingleton(options);
        services.AddSingleton(key);
        if (AuthOptions.PasswordHashIterationsFor(options, environment) is { } iterations)
        {
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = iterations);
        }

        services.AddModuleDbContext<AuthDbContext, AuthSqliteDbContext, AuthPostgresDbContext>(database, AuthDbContext.Module, audited: false);
        services.AddScoped<TokenService>();
        services.AddMemoryCache();
        services.AddSingleton<TokenStampFeed>();
        services.AddSingleton<TokenStampValidator>();
        services.AddScoped<AccountService>();
        services.AddSingleton(new Enrollment.BuildingBlocks.Admin.AdminMenuItem("/admin/users", "Users", typeof(SharedResource), [Roles.MinistryAdmin], 90));
        services.AddTransient<TokenPairType>();
        services.AddTransient<StaffAccountType>();
        services.AddTransient<PasswordResetType>();
        services.AddTransient<ViewerType>();
        services.AddSingleton<AuthContributor>();
        services.AddSingleton<Enrollment.BuildingBlocks.GraphQL.IQueryContributor>(sp => sp.GetRequiredService<AuthContributor>());
        services.AddSingleton<Enrollment.BuildingBlocks.GraphQL.IMutationContributor>(sp => sp.GetRequiredService<AuthContributor>());
        services.AddDataProtection()
            .SetApplicationName("Enrollment")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(database.DataDirectory, "keys")));

        services.AddIdentity<AppUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<AuthDbContext>()
            .AddUserStore<AppUserStore>() // stamps StampChangedAt for the token stamp feed (ADR 0805)
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<ScopedClaimsPrincipalFactory>();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/admin/account/login";
            o.LogoutPath = "/admin/account/logout";
            o.AccessDeniedPath = "/admin/account/denied";
            o.Cookie.Name = "enrollment.admin";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            // API callers get status codes, not redirects to the sign-in page.
            o.Events.OnRedirectToLogin = c => Redirect(c, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = c => Redirect(c, StatusCodes.Status403Forbidden);
            // The stamp is checked on every request (ADR 0801): disable and sign-out everywhere end the cookie at the
            // next request on every host. Identity's own interval check still runs after it (it refreshes the claims).
            var identityCheck = o.Events.OnValidatePrincipal;
            o.Events.OnValidatePrincipal = async context =>
            {
                if (!await CookieStampIsCurrentAsync(context))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }

                await identityCheck(context);
            };
        });
        services.Configure<SecurityStampValidatorOptions>(o =>
            o.ValidationInterval = configuration.GetValue("Auth:SecurityStampValidationInterval", TimeSpan.FromMinutes(1)));

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Smart;
                o.DefaultChallengeScheme = Smart;
                o.DefaultAuthenticateScheme = Smart;
            })
            .AddPolicyScheme(Smart, "Bearer token or admin cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : IdentityConstants.ApplicationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = AuthOptions.Issuer,
                    ValidAudience = AuthOptions.Audience,
                    IssuerSigningKey = key,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = System.Security.Claims.ClaimTypes.Name,
                    RoleClaimType = System.Security.Claims.ClaimTypes.Role,
                };
                // A token dies with its security stamp: disable, password reset and sign-out everywhere end it at once.
                o.Events = new JwtBearerEvents
                {
                    OnTokenValidated = async context =>
                    {
                        var principal = context.Principal!;
                        var userId = principal.FindFirst(System.IdentityModel.Tokens.Jwt.JwtRegisteredClaimNames.Sub)?.Value;
                        var stamp = principal.FindFirst(TokenStampValidator.StampClaim)?.Value;
                        var validator = context.HttpContext.RequestServices.GetRequiredService<TokenStampValidator>();
                        var issuedAt = new DateTimeOffset(DateTime.SpecifyKind(context.SecurityToken.ValidFrom, DateTimeKind.Utc));
                        if (userId is null || stamp is null || !await validator.IsCurrentAsync(userId, stamp, issuedAt, context.HttpContext.RequestAborted))
                        {
                            context.Fail("The token was revoked (account disabled, password reset or signed out everywhere).");
                        }
                    },
                };
            });

        // Token lifetimes follow the injectable clock, like everything else (tests travel in time).
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<Enrollment.BuildingBlocks.Time.IClock>((o, clock) =>
                o.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, parameters) =>
                {
                    var now = clock.UtcNow.UtcDateTime;
                    return (notBefore is null || notBefore.Value <= now + parameters.ClockSkew)
                        && (expires is null || expires.Value >= now - parameters.ClockSkew);
                });

        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicy, p => p.RequireRole([.. Roles.Staff]))
            .AddPolicy(MinistryPolicy, p => p.RequireRole(Roles.MinistryAdmin));
        return services;
    }

    private static async Task<bool> CookieStampIsCurrentAsync(Microsoft.AspNetCore.Authentication.Cookies.CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var claims = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var userId = context.Principal?.FindFirst(claims.UserIdClaimType)?.Value;
        var stamp = context.Principal?.FindFirst(claims.SecurityStampClaimType)?.Value;
        return userId is not null && stamp is not null
            && await services.GetRequiredService<TokenStampValidator>().IsCurrentAsync(userId, stamp, fresh: true, context.HttpContext.RequestAborted);
    }

    private static Task Redirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/graphql") || context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>Adds the scope claims (district, school, PIN) to the admin cookie's principal.</summary>
internal sealed class ScopedClaimsPrincipalFactory(
    UserManager<AppUser> users, RoleManager<IdentityRole> roles, Microsoft.Extensions.Options.IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<System.Security.Claims.ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.DistrictCode is not null) identity.AddClaim(new(ScopeClaims.District, user.DistrictCode));
        if (user.SchoolCode is not null) identity.AddClaim(new(ScopeClaims.School, user.SchoolCode));
        if (user.Pin is not null) identity.AddClaim(new(ScopeClaims.Pin, user.Pin));
        return identity;
    }
}
