using System.Diagnostics;
using System.Globalization;
using Enrollment.DemoData;
using Enrollment.Schools.Domain;
using AddressQuery = Enrollment.Schools.Domain.Addresses.AddressQuery;
using Enrollment.Schools.Features.Microdistricts;
using Enrollment.Schools.Contracts;

// Resolution benchmark: builds the micro-district index from the demo data exactly as the Schools module does
// (MicrodistrictIndexBuilder over stored rows) and resolves every registered address of the population, on one thread.
// Usage: dotnet run -c Release --project tools/Enrollment.Benchmarks -- [national|tiny] [seconds]
//        dotnet run -c Release --project tools/Enrollment.Benchmarks -- reporting [national|tiny] [runs]   (Reporting read models)
//        dotnet run -c Release --project tools/Enrollment.Benchmarks -- engine [runs]   (allocation engine, 10k/100k/300k)
//        dotnet run -c Release --project tools/Enrollment.Benchmarks -- allocation-db [applications]   (a whole run on SQLite)
if (args is ["allocation-db", ..])
{
    return await Enrollment.Benchmarks.AllocationDbBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300_000);
}

if (args is ["engine", ..])
{
    return Enrollment.Benchmarks.EngineBenchmark.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
}

if (args is ["reporting", ..])
{
    var reportingProfile = args.Length > 1 && args[1].Equals("tiny", StringComparison.OrdinalIgnoreCase) ? DemoProfile.Tiny : DemoProfile.National;
    await Enrollment.Benchmarks.ReportingBenchmark.RunAsync(reportingProfile, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10);
    return 0;
}

var profile = args.Length > 0 && args[0].Equals("tiny", StringComparison.OrdinalIgnoreCase) ? DemoProfile.Tiny : DemoProfile.National;
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var inv = CultureInfo.InvariantCulture;

var sw = Stopwatch.StartNew();
var data = DemoDataGenerator.Generate(profile);
Console.WriteLine(string.Create(inv, $"Generated {profile}: {data.Schools.Count:N0} schools, {data.MicrodistrictRules.Count:N0} rules, {data.MicrodistrictPolygons.Count:N0} polygons, {data.Addresses.Count:N0} registered addresses in {sw.Elapsed.TotalSeconds:0.0} s"));

var regionOf = data.Districts.ToDictionary(d => d.Code, d => d.RegionCode, StringComparer.Ordinal);
var schools = data.Schools.Select(s => new School
{
    Code = s.Code, RegionCode = regionOf[s.DistrictCode], DistrictCode = s.DistrictCode, SettlementCode = s.SettlementCode, NameKy = s.NameKy,
    NameRu = s.NameRu, Address = s.Address, Latitude = s.Latitude, Longitude = s.Longitude, Type = s.Type, Languages = string.Join(',', s.Languages),
    ParticipatesInEnrollment = s.ParticipatesInEnrollment, NonParticipationReason = s.NonParticipationReason,
}).ToList();
var rules = data.MicrodistrictRules.Select(r => new MicrodistrictRule
{
    Id = Guid.NewGuid(), SchoolCode = r.SchoolCode, SettlementCode = r.SettlementCode, Street = r.Street, HouseSet = r.HouseSet,
}).ToList();
var polygons = data.MicrodistrictPolygons.Select(p => new MicrodistrictPolygon { SchoolCode = p.SchoolCode, GeoJson = p.GeoJson }).ToList();
var aliases = data.Streets.Select(s => new StreetNameAlias { SettlementCode = s.SettlementCode, Street = s.NameRu, Variant = s.NameKy }).ToList();

sw.Restart();
var snapshot = MicrodistrictIndexBuilder.Build(schools, rules, polygons, aliases);
Console.WriteLine(string.Create(inv, $"Index built in {sw.ElapsedMilliseconds:N0} ms: {snapshot.Index.RuleCount:N0} rules, {snapshot.Index.PolygonCount:N0} polygons"));

var queries = data.Addresses.Select(a => new AddressQuery(a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude)).ToArray();
var dtos = data.Addresses.Select(a => new AddressDto(a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude)).ToArray();

// Correctness check before timing: one school for all but the planted overlaps and gaps.
var matched = new int[4];
var diag = 15;
foreach (var q in queries)
{
    matched[Math.Min(snapshot.Resolve(q).Matches.Count, 2)]++;
}

// Strict: every address resolves exactly as planted (overlaps: their schools; gaps: none; all others: one school).
var plantedOverlaps = data.Anomalies.AddressesInTwoMicrodistricts.ToDictionary(a => a.Pin, a => a.SchoolCodes.Order(StringComparer.Ordinal).ToArray());
var plantedNone = data.Anomalies.AddressesInNoMicrodistrict.Select(a => a.Pin).ToHashSet();
var mismatches = 0;
for (var i = 0; i < queries.Length; i++)
{
    var codes = snapshot.Resolve(queries[i]).Matches.Select(m => snapshot.SchoolCode(m.SchoolId)).Order(StringComparer.Ordinal).ToArray();
    var pin = data.Addresses[i].Pin;
    var ok = plantedOverlaps.TryGetValue(pin, out var expected) ? codes.SequenceEqual(expected)
        : plantedNone.Contains(pin) ? codes.Length == 0
        : codes.Length == 1;
    if (!ok && mismatches++ < 5)
    {
        var a = data.Addresses[i];
        Console.WriteLine($"  not as planted: {a.SettlementCode} '{a.Street}' {a.House} ({a.Latitude},{a.Longitude}) -> [{string.Join(",", codes)}]");
    }
}

Console.WriteLine($"Addresses not resolving as planted: {mismatches:N0}");

if (Environment.GetEnvironmentVariable("BENCH_DIAG") == "1")
{
    var planted = data.Anomalies.AddressesInTwoMicrodistricts.Select(a => a.Pin).ToHashSet();
    var plantedGaps = data.Anomalies.AddressesInNoMicrodistrict.Select(a => a.Pin).ToHashSet();
    var unplanted = data.Addresses.Where(a => !plantedGaps.Contains(a.Pin))
        .Where(a => snapshot.Resolve(new AddressQuery(a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude)).Matches.Count == 0).ToList();
    Console.WriteLine($"Unplanted gaps: {unplanted.Count}");
    foreach (var a in data.Addresses.Where(a => plantedGaps.Contains(a.Pin)).Select(a => (a, r: snapshot.Resolve(new AddressQuery(a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude)))).Where(x => x.r.Matches.Count == 1).Take(6))
    {
        Console.WriteLine($"  planted gap resolved: {a.a.SettlementCode} '{a.a.Street}' {a.a.House} ({a.a.Latitude},{a.a.Longitude}) -> {a.r.Matches[0].Source} {a.r.Matches[0].Rule}");
    }

    var several = data.Addresses.Where(a => snapshot.Resolve(new AddressQuery(a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude)).Matches.Count > 1).Select(a => a.Pin).ToHashSet();
    Console.WriteLine($"Several, not planted as overlap: {several.Count(p => !planted.Contains(p))} (of them planted gaps: {several.Count(p => plantedGaps.Contains(p))}); planted overlaps not several: {planted.Count(p => !several.Contains(p))}");
    foreach (var a in unplanted.Take(10))
    {
        Console.WriteLine($"  {a.SettlementCode} '{a.Street}' {a.House}");
    }

    foreach (var a in data.Addresses.Where(a => !planted.Contains(a.Pin)).Take(200000))
    {
        var r = snapshot.Resolve(new AddressQuery(a.SettlementCode, a.Street, a.House, a.Latitude, a.Longitude));
        if (r.Matches.Count > 1)
        {
            Console.WriteLine($"{a.SettlementCode} '{a.Street}' {a.House} key={r.StreetKey}: " + string.Join(" | ", r.Matches.Select(m => snapshot.SchoolCode(m.SchoolId) + " " + m.Rule)));
            if (--diag == 0) break;
        }
    }
}

Console.WriteLine(string.Create(inv, $"Resolved: {matched[1]:N0} to one school, {matched[2]:N0} to several (planted overlaps: {data.Anomalies.AddressesInTwoMicrodistricts.Count:N0}), {matched[0]:N0} to none (planted gaps: {data.Anomalies.AddressesInNoMicrodistrict.Count:N0})"));

Thread.CurrentThread.Priority = ThreadPriority.Highest;
Run("index.Resolve (domain)", i => snapshot.Resolve(queries[i % queries.Length]).Matches.Count);
Run("Resolve + DTO (what ResolveAddress returns)", i => snapshot.Resolve(dtos[i % dtos.Length].ToQuery()).ToDto(snapshot).Matches.Count);
return mismatches == 0 ? 0 : 1;

void Run(string name, Func<int, int> resolve)
{
    // Warm-up (tiered JIT, PGO), then timed passes over the whole population until the time is up.
    for (var i = 0; i < Math.Min(200_000, queries.Length * 2); i++)
    {
        resolve(i);
    }

    GC.Collect();
    var gen0 = GC.CollectionCount(0);
    long count = 0;
    long checksum = 0;
    var timer = Stopwatch.StartNew();
    while (timer.Elapsed.TotalSeconds < seconds)
    {
        for (var i = 0; i < queries.Length; i++)
        {
            checksum += resolve(i);
        }

        count += queries.Length;
    }

    var elapsed = timer.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(inv, $"{name}: {count:N0} resolutions in {elapsed:0.00} s = {count / elapsed:N0}/s on one thread ({elapsed * 1e9 / count:0} ns each; gen0 GCs {GC.CollectionCount(0) - gen0}; checksum {checksum})"));
}
