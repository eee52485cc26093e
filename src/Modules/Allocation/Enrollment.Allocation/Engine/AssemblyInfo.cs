using System.Runtime.CompilerServices;

// The engine is internal to the module; its tests exercise it directly.
[assembly: InternalsVisibleTo("Enrollment.Allocation.Tests")]
