using Enrollment.Host.Auth;
using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace Enrollment.Host.Admin;

internal static class AdminSetup
{
    public static IServiceCollection AddEnrollmentAdmin(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
            {
                // Each module's pages live in an area of its own assembly; they are served under /admin/<area>/…
                o.Conventions.Add(new AdminAreaRoutes());
                o.Conventions.AuthorizeFolder("/Admin", AuthSetup.StaffPolicy);
                o.Conventions.AllowAnonymousToFolder("/Admin/Account");
                o.Conventions.AuthorizeFolder("/Admin/Users", AuthSetup.MinistryPolicy);
                o.Conventions.AuthorizeFolder("/Admin/Audit", AuthSetup.MinistryPolicy);
            })
            .AddMvcOptions(o => o.Filters.Add<UnavailablePageFilter>())
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "enrollment.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
        });
        return services;
    }

    public static WebApplication MapEnrollmentAdmin(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// Area pages route under <c>/admin/{area}</c> and always require a staff role; a module tightens it further
    /// with <c>[Authorize(Roles = …)]</c> on its pages.
    /// </summary>
    private sealed class AdminAreaRoutes : IPageApplicationModelConvention, IPageRouteModelConvention
    {
        public void Apply(PageRouteModel model)
        {
            if (model.AreaName is null)
            {
                return;
            }

            foreach (var selector in model.Selectors)
            {
                var template = selector.AttributeRouteModel?.Template;
                if (template is not null && !template.StartsWith("admin/", StringComparison.OrdinalIgnoreCase))
                {
                    selector.AttributeRouteModel!.Template = "admin/" + template.ToLowerInvariant();
                }
            }
        }

        public void Apply(PageApplicationModel model)
        {
            if (model.AreaName is not null)
            {
                model.EndpointMetadata.Add(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute(AuthSetup.StaffPolicy));
            }
        }
    }
}
