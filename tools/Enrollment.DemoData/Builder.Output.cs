namespace Enrollment.DemoData;

/// <summary>Part 3: resolution of addresses against the rules, spelling variants, accounts and the final dataset.</summary>
internal sealed partial class Builder
{
    internal enum SpellingKind
    {
        Abbreviation,
        KyrgyzRussian,
        CaseAndSpaces,
        YoE,
        LatinLookalike,
        Prospekt,
        Microrayon,
    }

    public DemoDataset Build()
    {
        BuildGeography();
        BuildSchools();
        BuildStreetsAndRules();
        BuildPolygons();
        PlanHouseholds();
        BuildPersons();
        EmitOverlapRules();
        PlantDocumentAnomalies();
        Resolve();
        PlantSpellingVariants();
        return Emit();
    }

    /// <summary>Exact matching of every registered address against the generated rules (by canonical street).</summary>
    private void Resolve()
    {
        var index = new Dictionary<(int Settlement, int Street), List<int>>();
        for (var r = 0; r < _rules.Count; r++)
        {
            var key = (_rules[r].Settlement, _rules[r].Street);
            if (!index.TryGetValue(key, out var list))
            {
                index[key] = list = [];
            }

            list.Add(r);
        }

        foreach (var a in _addresses)
        {
            if (index.TryGetValue((a.Settlement, a.Street), out var rules))
            {
                foreach (var r in rules)
                {
                    var school = _rules[r].School;
                    if (_rules[r].Houses.Contains(a.House) && !a.Schools.Contains(school))
                    {
                        a.Schools.Add(school);
                    }
                }

                a.Schools.Sort();
            }

            if (a.Schools.Count == 0 && a.Lat is { } lat && a.Lon is { } lon)
            {
                var containing = CountPolygonsContaining(lat, lon, out _);
                a.PolygonMatch = containing == 1;
                if (containing > 1)
                {
                    // No rule claims the address and its point lies inside two polygons: the resolver's polygon fallback
                    // (rightly) names both schools, so it is neither a gap nor a polygon-only match. Plant it as a plain
                    // gap instead — a registry record without coordinates. No random draw is spent: the data stays deterministic.
                    (a.Lat, a.Lon) = (null, null);
                }
            }
        }
    }

    private void PlantSpellingVariants()
    {
        var rng = Rng(8);
        var kinds = Enum.GetValues<SpellingKind>();
        var candidates = kinds.ToDictionary(k => k, _ => new List<int>());
        for (var i = 0; i < _addresses.Count; i++)
        {
            var a = _addresses[i];
            if (a.Kind != AddressKind.Normal || a.Schools.Count != 1)
            {
                continue;
            }

            var st = _settlements[a.Settlement].Streets[a.Street];
            foreach (var k in kinds)
            {
                if (Applies(k, st))
                {
                    candidates[k].Add(i);
                }
            }
        }

        var total = Math.Max(kinds.Length, Rate(0.01, _addresses.Count));
        var perKind = (total + kinds.Length - 1) / kinds.Length;
        foreach (var k in kinds)
        {
            var chosen = 0;
            foreach (var i in Sample(rng, candidates[k], candidates[k].Count))
            {
                if (chosen == perKind)
                {
                    break;
                }

                var a = _addresses[i];
                if (a.Spelling is not null)
                {
                    continue;
                }

                var s = _settlements[a.Settlement];
                a.Spelling = Variant(k, s.Streets[a.Street], s.RulesInKyrgyz, rng);
                chosen++;
            }
        }
    }

    private static bool Applies(SpellingKind kind, StreetGen st) => kind switch
    {
        SpellingKind.Abbreviation => st.Type is StreetType.Street or StreetType.Lane,
        SpellingKind.YoE => st.RuleSpelling.Contains('ё', StringComparison.Ordinal),
        SpellingKind.LatinLookalike => LatinTarget(st) >= 0,
        SpellingKind.Prospekt => st.Type == StreetType.Avenue,
        SpellingKind.Microrayon => st.Type == StreetType.Microdistrict,
        _ => true,
    };

    private const string CyrillicLookalikes = "аеорс";
    private const string LatinLookalikes = "aeopc";

    /// <summary>Where the street's own name sits inside its rule spelling (after "улица ", or before " көчөсү").</summary>
    private static (int Start, int Length) BaseSpan(StreetGen st) =>
        string.Equals(st.RuleSpelling, st.NameKy, StringComparison.Ordinal)
            ? (0, st.Base.Ky.Length)
            : (st.RuleSpelling.Length - st.Base.Ru.Length, st.Base.Ru.Length);

    /// <summary>A Cyrillic letter with a Latin look-alike, preceded by another letter of the street's name; -1 if none.</summary>
    private static int LatinTarget(StreetGen st)
    {
        var (start, length) = BaseSpan(st);
        var spelling = st.RuleSpelling;
        for (var i = start + 1; i < start + length; i++)
        {
            if (CyrillicLookalikes.Contains(spelling[i], StringComparison.Ordinal) && char.IsLetter(spelling[i - 1]))
            {
                return i;
            }
        }

        return -1;
    }

    internal static string VariantForTest(SpellingKind kind, StreetType type, string ru, string ky, bool kyrgyzRules, Prng rng)
    {
        var b = new StreetBase(ru, ky);
        var st = new StreetGen
        {
            Type = type,
            Base = b,
            NameRu = NamePools.StreetNameRu(type, b),
            NameKy = NamePools.StreetNameKy(type, b),
            MaxHouse = 10,
            Covered = true,
            RuleSpelling = kyrgyzRules ? NamePools.StreetNameKy(type, b) : NamePools.StreetNameRu(type, b),
        };
        return Variant(kind, st, kyrgyzRules, rng);
    }

    private static string Variant(SpellingKind kind, StreetGen st, bool ky, Prng rng)
    {
        var rule = st.RuleSpelling;
        switch (kind)
        {
            case SpellingKind.Abbreviation:
                return ky
                    ? st.Base.Ky + (st.Type == StreetType.Lane ? " тык." : " көч.")
                    : (st.Type == StreetType.Lane ? "пер. " : "ул. ") + st.Base.Ru;
            case SpellingKind.KyrgyzRussian:
                return ky ? st.NameRu : st.NameKy;
            case SpellingKind.CaseAndSpaces:
                var (start, length) = BaseSpan(st);
                return start == 0
                    ? rule[..length].ToUpperInvariant() + "  " + rule[(length + 1)..]
                    : rule[..(start - 1)] + "  " + rule[start..].ToUpperInvariant();
            case SpellingKind.YoE:
                return rule.Replace('ё', 'е');
            case SpellingKind.LatinLookalike:
                var i = LatinTarget(st);
                return rule[..i] + LatinLookalikes[CyrillicLookalikes.IndexOf(rule[i], StringComparison.Ordinal)] + rule[(i + 1)..];
            case SpellingKind.Prospekt:
                return (rng.Chance(0.5) ? "пр. " : "пр-т ") + st.Base.Ru;
            default:
                return (rng.Chance(0.5) ? "мкр " : "мкр. ") + st.Base.Ru;
        }
    }

    // ---------------------------------------------------------------- output

    private DemoDataset Emit()
    {
        var settlements = _settlements.Select(s => new DemoSettlement(
            s.Code, _districts[s.District].Code, s.NameKy, s.NameRu, s.Kind, s.Lat, s.Lon)).ToArray();
        var streets = _settlements.SelectMany(s => s.Streets.Select(st => new DemoStreet(s.Code, st.NameRu, st.NameKy))).ToArray();
        var schools = EmitSchools();
        var rules = Enumerable.Range(0, _rules.Count)
            .OrderBy(r => _rules[r].School).ThenBy(r => r)
            .Select(r =>
            {
                var rule = _rules[r];
                var s = _settlements[rule.Settlement];
                return new DemoMicrodistrictRule(_schools[rule.School].Code, s.Code, s.Streets[rule.Street].RuleSpelling, rule.Houses.ToString());
            })
            .ToArray();
        var polygons = _schools.Where(s => s.Participates).Select(s => new DemoMicrodistrictPolygon(s.Code, PolygonGeoJson(s))).ToArray();

        var persons = new DemoPerson[_persons.Count];
        var addresses = new DemoRegisteredAddress[_persons.Count];
        var spelling = new List<DemoSpellingVariant>();
        var overlaps = new List<DemoAddressKey>();
        var gaps = new List<DemoAddressKey>();
        var polygonOnly = new List<string>();
        var overAge = new List<string>();
        var noCertificate = new List<string>();
        var noPassport = new List<string>();
        for (var i = 0; i < _persons.Count; i++)
        {
            var p = _persons[i];
            persons[i] = new DemoPerson(p.Pin, p.LastName, p.FirstName, p.Patronymic, p.Sex, p.BirthDate,
                p.BirthCertificate, p.Passport, p.Phone, p.Email);
            var a = _addresses[p.Address];
            var s = _settlements[a.Settlement];
            var st = s.Streets[a.Street];
            var street = a.Spelling ?? st.RuleSpelling;
            addresses[i] = new DemoRegisteredAddress(p.Pin, s.Code, street, a.House, a.Apartment, a.Lat, a.Lon);

            if (a.Spelling is not null)
            {
                spelling.Add(new DemoSpellingVariant(p.Pin, a.Spelling, st.RuleSpelling));
            }

            if (a.Schools.Count >= 2)
            {
                overlaps.Add(new DemoAddressKey(p.Pin, s.Code, street, a.House, a.Schools.Select(x => _schools[x].Code).ToArray()));
            }
            else if (a.Schools.Count == 0 && a.PolygonMatch)
            {
                polygonOnly.Add(p.Pin);
            }
            else if (a.Schools.Count == 0)
            {
                gaps.Add(new DemoAddressKey(p.Pin, s.Code, street, a.House, []));
            }

            if (p.IsChild && p.BirthDate <= OverAgeTo)
            {
                overAge.Add(p.Pin);
            }

            if (p.IsChild && p.BirthCertificate is null)
            {
                noCertificate.Add(p.Pin);
            }

            if (!p.IsChild && p.Passport is null)
            {
                noPassport.Add(p.Pin);
            }
        }

        var anomalies = new DemoAnomalies(spelling, overlaps, gaps, overAge, noCertificate, noPassport,
            _documents.Select(d => d.ChildPin).ToArray(), polygonOnly);

        return new DemoDataset(_profile, _seed, _regions.ToArray(), _districts.ToArray(), settlements, streets, schools, rules,
            polygons, persons, addresses, _links.ToArray(), _documents.ToArray(), EmitAccounts(schools), anomalies);
    }

    private DemoSchool[] EmitSchools()
    {
        var rng = Rng(9);
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new DemoSchool[_schools.Count];
        foreach (var sc in _schools)
        {
            var s = _settlements[sc.Settlement];
            // Bishkek numbers its schools city-wide across its four district settlements; elsewhere per settlement.
            var key = s.Kind == "City" ? s.NameRu : s.Code;
            numbers[key] = numbers.TryGetValue(key, out var n) ? n + 1 : 1;
            var number = numbers[key].ToString(Inv);
            var (nameRu, nameKy) = SchoolName(rng, sc, s, number);

            int street;
            string house;
            if (sc.Segments.Count > 0)
            {
                var rule = _rules[sc.Segments[0]];
                street = rule.Street;
                house = HouseIn(rng, rule.Houses, s.Streets[street].MaxHouse);
            }
            else
            {
                street = rng.Next(s.Streets.Count);
                house = rng.Between(1, s.Streets[street].MaxHouse).ToString(Inv);
            }

            var address = (s.Kind == "Village" ? "с. " : "г. ") + s.NameRu + ", " + s.Streets[street].NameRu + ", " + house;
            var type = sc.Reason switch
            {
                "Lyceum" => rng.Chance(0.5) ? "State" : "Municipal",
                "SpecialPmpk" or "Boarding" or "Music" => "State",
                "Evening" => "Municipal",
                _ => rng.Chance(0.1) ? "State" : "Municipal",
            };
            result[sc.Index] = new DemoSchool(sc.Code, _districts[s.District].Code, s.Code, nameKy, nameRu, address, sc.Lat, sc.Lon,
                type, Languages(rng, s), sc.Participates, sc.Reason, sc.Participates ? sc.Seats : 0);
        }

        return result;
    }

    private static (string Ru, string Ky) SchoolName(Prng rng, SchoolGen sc, SettlementGen s, string number)
    {
        switch (sc.Reason)
        {
            case "Lyceum":
                return rng.Chance(0.5)
                    ? ("Лицей № " + number, "№ " + number + " лицей")
                    : ("Гимназия № " + number, "№ " + number + " гимназия");
            case "SpecialPmpk":
                return ("Специальная (вспомогательная) школа № " + number, "№ " + number + " атайын (көмөкчү) мектеп");
            case "Boarding":
                return ("Школа-интернат № " + number, "№ " + number + " мектеп-интернат");
            case "Evening":
                return ("Вечерняя средняя школа № " + number, "№ " + number + " кечки орто мектеп");
            case "Music":
                return ("Музыкальная средняя школа № " + number, "№ " + number + " музыкалык орто мектеп");
        }

        if (s.Kind != "Village")
        {
            if (rng.Chance(0.3))
            {
                var (pr, pk) = rng.Pick(NamePools.Patrons);
                return ("Средняя общеобразовательная школа № " + number + " им. " + pr,
                    pk + " атындагы № " + number + " жалпы билим берүүчү орто мектеп");
            }

            return ("Средняя общеобразовательная школа № " + number, "№ " + number + " жалпы билим берүүчү орто мектеп");
        }

        if (s.SchoolCount == 1)
        {
            if (rng.Chance(0.5))
            {
                var (pr, pk) = rng.Pick(NamePools.Patrons);
                return ("Средняя школа им. " + pr + " с. " + s.NameRu, pk + " атындагы орто мектеп");
            }

            return ("Средняя школа с. " + s.NameRu, s.NameKy + " орто мектеби");
        }

        return ("Средняя школа № " + number + " с. " + s.NameRu, s.NameKy + " айылындагы № " + number + " орто мектеп");
    }

    private static string[] Languages(Prng rng, SettlementGen s)
    {
        var ru = s.Region.Russian;
        var uz = s.Region.Uzbek;
        var ruP = s.Kind switch { "City" => 0.25 + (2 * ru), "Town" => 0.10 + (1.5 * ru), _ => 0.02 + (0.5 * ru) };
        var hasRu = rng.Chance(ruP);
        var hasUz = rng.Chance(s.Kind == "Village" ? uz * 0.9 : uz);
        var hasKy = true;
        if (hasRu && rng.Chance((ru * 1.5) + (s.Kind == "City" ? 0.1 : 0)))
        {
            hasKy = false;
        }

        if (hasUz && !hasRu && rng.Chance(0.2))
        {
            hasKy = false;
        }

        var hasTg = s.Region.NameRu == "Баткенская область" && s.Kind != "City" && rng.Chance(0.015);
        var result = new List<string>(3);
        if (hasKy || (!hasRu && !hasUz))
        {
            result.Add("ky");
        }

        if (hasRu)
        {
            result.Add("ru");
        }

        if (hasUz)
        {
            result.Add("uz");
        }

        if (hasTg)
        {
            result.Add("tg");
        }

        return result.ToArray();
    }

    private DemoAccount[] EmitAccounts(DemoSchool[] schools)
    {
        var accounts = new List<DemoAccount>
        {
            new("ministry", "Demo-Ministry-2026!", "MinistryAdmin", null, null, null),
            new("district", "Demo-District-2026!", "DistrictOfficer", _districts[0].Code, null, null),
            new("school", "Demo-School-2026!", "SchoolAdmin", null, schools.First(s => s.ParticipatesInEnrollment).Code, null),
            new("analyst", "Demo-Analyst-2026!", "Analyst", null, null, null),
        };

        // Parents: the first adults with a passport linked (as mother or father) to an eligible child with a birth
        // certificate; one parent per family (a parent sharing a child with an already chosen parent is skipped).
        var byPin = new Dictionary<string, PersonGen>(StringComparer.Ordinal);
        foreach (var p in _persons)
        {
            byPin[p.Pin] = p;
        }

        var chosen = new List<string>();
        var coveredChildren = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in _links)
        {
            if (chosen.Count == 3)
            {
                break;
            }

            var parent = byPin[link.ParentPin];
            var child = byPin[link.ChildPin];
            if (chosen.Contains(link.ParentPin) || link.Relation == "LegalRepresentative" || parent.Passport is null
                || child.BirthCertificate is null || child.BirthDate < EligibleFrom)
            {
                continue;
            }

            var children = _links.Where(l => l.ParentPin == link.ParentPin).Select(l => l.ChildPin).ToArray();
            if (!children.Any(coveredChildren.Contains))
            {
                chosen.Add(link.ParentPin);
                coveredChildren.UnionWith(children);
            }
        }

        for (var i = 0; i < chosen.Count; i++)
        {
            accounts.Add(new DemoAccount(chosen[i], "Demo-Parent" + (i + 1).ToString(Inv) + "-2026!", "Parent", null, null, chosen[i]));
        }

        return accounts.ToArray();
    }
}
