using System.Reflection;
using Mediator;
using NetArchTest.Rules;

namespace Enrollment.Host.Tests.Architecture;

/// <summary>
/// One module is one room: other modules and the Host see only its Contracts and its XModule class.
/// These rules need no exemptions by type name; if one fails, the code is in the wrong place.
/// </summary>
public sealed class ModuleBoundaryTests
{
    private static readonly string[] Modules = ["Schools", "Quotas", "Registry", "Allocation", "Reporting", "Appeals", "Notifications"];

    private static Assembly Implementation(string module) => Assembly.Load($"Enrollment.{module}");

    private static Assembly ContractsOf(string module) => Assembly.Load($"Enrollment.{module}.Contracts");

    private static readonly Assembly HostAssembly = typeof(Program).Assembly;

    public static TheoryData<string> ModuleNames => [.. Modules];

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Module_does_not_reference_another_modules_implementation(string module)
    {
        var others = Modules.Where(m => m != module).Select(m => $"Enrollment.{m}").ToHashSet(StringComparer.Ordinal);
        var referenced = Implementation(module).GetReferencedAssemblies().Select(a => a.Name!).Where(others.Contains).ToList();
        Assert.Empty(referenced);

        var result = Types.InAssembly(Implementation(module)).ShouldNot()
            .HaveDependencyOnAny([.. Modules.Where(m => m != module).SelectMany(m => InternalNamespaces(m))])
            .GetResult();
        Assert.True(result.IsSuccessful, Describe(result));
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Contracts_reference_only_mediator_abstractions_and_the_framework(string module)
    {
        var allowed = new[] { "System", "Microsoft.", "Mediator", "netstandard", "mscorlib" };
        var offending = ContractsOf(module).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => !allowed.Any(prefix => name == prefix || name.StartsWith(prefix, StringComparison.Ordinal)) || name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(offending);
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Only_the_module_class_is_public_in_a_module_implementation(string module)
    {
        var publicTypes = Implementation(module).GetExportedTypes().Select(t => t.FullName).ToList();
        Assert.Equal([$"Enrollment.{module}.{module}Module"], publicTypes);
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Handlers_are_internal_sealed(string module)
    {
        var handlerInterfaces = new[]
        {
            typeof(IQueryHandler<,>), typeof(ICommandHandler<,>), typeof(IRequestHandler<,>), typeof(INotificationHandler<>),
        };
        var handlers = Implementation(module).GetTypes()
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && handlerInterfaces.Contains(i.GetGenericTypeDefinition())))
            .ToList();
        Assert.NotEmpty(handlers);
        Assert.All(handlers, h => Assert.True(h.IsNotPublic && h.IsSealed, $"{h.FullName} must be internal sealed"));
    }

    [Fact]
    public void Host_uses_modules_only_through_their_module_class_and_contracts()
    {
        var result = Types.InAssembly(HostAssembly)
            .That().DoNotResideInNamespaceStartingWith("Enrollment.Host.Mediator") // Mediator's generated dispatch code
            .ShouldNot().HaveDependencyOnAny([.. Modules.SelectMany(InternalNamespaces)])
            .GetResult();
        Assert.True(result.IsSuccessful, Describe(result));
    }

    [Fact]
    public void Building_blocks_know_no_module()
    {
        var result = Types.InAssembly(typeof(BuildingBlocks.Errors.RuleViolation).Assembly)
            .ShouldNot().HaveDependencyOnAny([.. Modules.Select(m => $"Enrollment.{m}")])
            .GetResult();
        Assert.True(result.IsSuccessful, Describe(result));
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Each_module_keeps_its_own_database_context(string module)
    {
        var contexts = Implementation(module).GetTypes()
            .Where(t => typeof(Microsoft.EntityFrameworkCore.DbContext).IsAssignableFrom(t) && !t.IsSealed)
            .Select(t => t.Name).ToList();
        Assert.Equal([$"{module}DbContext"], contexts);
    }

    private static IEnumerable<string> InternalNamespaces(string module) =>
        new[] { "Domain", "Data", "Features", "GraphQL", "Areas", "Jobs", "Engine" }.Select(folder => $"Enrollment.{module}.{folder}");

    private static string Describe(TestResult result) =>
        result.IsSuccessful ? "" : "Offending types: " + string.Join(", ", result.FailingTypeNames ?? []);
}
