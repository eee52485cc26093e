namespace Enrollment.DemoData;

/// <summary>Part 2: households, persons, registered addresses, links and documents.</summary>
internal sealed partial class Builder
{
    private static readonly DateOnly EligibleFrom = new(2019, 1, 1);
    private static readonly DateOnly EligibleTo = new(2020, 12, 31);
    private static readonly DateOnly OverAgeFrom = new(2017, 1, 1);
    private static readonly DateOnly OverAgeTo = new(2018, 8, 31);

    private static readonly string[] PhonePrefixes =
    [
        "555", "557", "559", "550", "700", "701", "702", "703", "705", "707", "770", "772", "773", "775", "777", "779",
        "220", "222", "225", "990", "995", "996", "999", "500", "502", "505", "507", "509",
    ];

    private static readonly string[] MailDomains = ["gmail.com", "mail.ru", "inbox.ru", "yandex.ru", "bk.ru", "list.ru"];

    private readonly List<HouseholdGen> _households = [];
    private readonly List<AddressGen> _addresses = [];
    private readonly List<PersonGen> _persons = [];
    private readonly List<DemoParentLink> _links = [];
    private readonly List<DemoPriorityDocument> _documents = [];
    private readonly Dictionary<long, int> _pinSerials = [];
    private readonly HashSet<string> _emails = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _latin = new(StringComparer.Ordinal);
    private readonly List<(int School, int Street, List<string> Houses)> _overlapRequests = [];
    private readonly Dictionary<(int School, int Street), int> _overlapIndex = [];
    private int _birthCertificateSerial;
    private int _idCardSerial;
    private int _oldPassportSerial;

    internal enum AddressKind
    {
        Normal,
        Overlap,
        GapHouse,
        GapStreet,
        PolygonOnly,
    }

    private sealed class HouseholdGen
    {
        public required int Settlement { get; init; }
        public required int Children { get; init; }
        public AddressKind Kind { get; set; }
        public bool OverAge { get; set; }
        public bool LegalRepresentative { get; set; }
        public Func<StreetGen, bool>? PreferredStreet { get; set; }
    }

    private sealed class AddressGen
    {
        public required int Settlement { get; init; }
        public required int Street { get; init; }
        public required string House { get; init; }
        public string? Apartment { get; init; }
        public double? Lat { get; set; }
        public double? Lon { get; set; }
        public required AddressKind Kind { get; init; }
        public string? Spelling { get; set; }
        public List<int> Schools { get; } = [];
        public bool PolygonMatch { get; set; }
    }

    private sealed class PersonGen
    {
        public required string Pin { get; init; }
        public required string LastName { get; init; }
        public required string FirstName { get; init; }
        public string? Patronymic { get; init; }
        public required char Sex { get; init; }
        public required DateOnly BirthDate { get; init; }
        public string? BirthCertificate { get; set; }
        public string? Passport { get; set; }
        public string? Phone { get; init; }
        public string? Email { get; init; }
        public required int Address { get; init; }
        public required bool IsChild { get; init; }
    }

    // ---------------------------------------------------------------- households

    private void PlanHouseholds()
    {
        var rng = Rng(4);
        var totalChildren = _tiny ? 60 : 250_000;
        var seats = _settlements.Select(s => (double)s.Participating.Sum(i => _schools[i].Seats)).ToArray();
        var children = Apportion(totalChildren, seats);
        foreach (var s in _settlements)
        {
            s.Children = children[s.Index];
            var left = s.Children;
            while (left > 0)
            {
                var n = left >= 2 && rng.Chance(0.08) ? 2 : 1;
                _households.Add(new HouseholdGen { Settlement = s.Index, Children = n });
                left -= n;
            }
        }

        var h = _households.Count;
        // The first tiny households are kept ordinary (they carry spelling variants and parent accounts).
        // Overlap households are planted at 0.35 %: other families at the same house number join them, giving about 0.5 %.
        var reserved = _tiny ? 3 : 0;
        if (_tiny)
        {
            _households[0].PreferredStreet = st => st.Type == StreetType.Avenue;
            _households[1].PreferredStreet = st => st.Type == StreetType.Microdistrict;
            _households[2].PreferredStreet = st => st.RuleSpelling.Contains('ё', StringComparison.Ordinal);
        }

        bool Free(int i) => i >= reserved && _households[i].Kind == AddressKind.Normal && !_households[i].OverAge
            && !_households[i].LegalRepresentative;

        Mark(rng, Math.Max(1, Rate(0.0035, h)), i => Free(i) && _settlements[_households[i].Settlement].Participating.Count >= 2,
            i => _households[i].Kind = AddressKind.Overlap);
        Mark(rng, Math.Max(1, Rate(0.0025, h)), Free, i => _households[i].Kind = AddressKind.GapHouse);
        Mark(rng, Math.Max(1, Rate(0.0025, h)), Free, i => _households[i].Kind = AddressKind.GapStreet);
        Mark(rng, Math.Max(1, Rate(0.003, h)), Free, i => _households[i].Kind = AddressKind.PolygonOnly);
        Mark(rng, Math.Max(2, Rate(0.025, totalChildren)), i => Free(i) && _households[i].Children == 1, i => _households[i].OverAge = true);
        Mark(rng, Math.Max(1, Rate(0.01, h)), Free, i => _households[i].LegalRepresentative = true);
    }

    private static int Rate(double rate, int of) => (int)Math.Round(rate * of);

    private void Mark(Prng rng, int count, Func<int, bool> eligible, Action<int> apply)
    {
        var attempts = 0;
        for (var done = 0; done < count && attempts < count * 1000; attempts++)
        {
            var i = rng.Next(_households.Count);
            if (eligible(i))
            {
                apply(i);
                done++;
            }
        }
    }

    // ---------------------------------------------------------------- addresses

    private int NewAddress(Prng rng, int settlementIndex, AddressKind kind, Func<StreetGen, bool>? preferred = null)
    {
        var s = _settlements[settlementIndex];
        if (kind == AddressKind.GapHouse)
        {
            var candidates = Enumerable.Range(0, s.Streets.Count).Where(i => s.Streets[i].Covered && !s.Streets[i].HasAll).ToArray();
            if (candidates.Length == 0)
            {
                kind = AddressKind.GapStreet;
            }
            else
            {
                var street = rng.Pick(candidates);
                var house = (s.Streets[street].MaxHouse + rng.Between(2, 12)).ToString(Inv);
                return Add(new AddressGen { Settlement = s.Index, Street = street, House = house, Kind = kind });
            }
        }

        if (kind is AddressKind.GapStreet or AddressKind.PolygonOnly)
        {
            var street = rng.Pick(s.Uncovered);
            var house = Decorate(rng, rng.Between(1, s.Streets[street].MaxHouse));
            double? lat = null;
            double? lon = null;
            if (kind == AddressKind.PolygonOnly)
            {
                (lat, lon) = PointNear(rng, _schools[rng.Pick(s.Participating)], 0.5);
            }

            return Add(new AddressGen { Settlement = s.Index, Street = street, House = house, Kind = kind, Lat = lat, Lon = lon, Apartment = Apartment(rng, s, s.Streets[street]) });
        }

        var weights = s.Participating.Select(i => (double)_schools[i].Seats).ToArray();
        var school = _schools[s.Participating[rng.PickWeighted(weights)]];
        var segments = school.Segments;
        if (preferred is not null)
        {
            var all = s.Participating.SelectMany(i => _schools[i].Segments).Where(r => preferred(s.Streets[_rules[r].Street])).ToArray();
            if (all.Length > 0)
            {
                segments = [all[0]];
                school = _schools[_rules[all[0]].School];
            }
        }

        if (kind == AddressKind.Overlap)
        {
            var plain = segments.Where(r => _rules[r].Houses.Kind != HouseSetKind.List).ToList();
            segments = plain.Count > 0 ? plain : segments;
        }

        var rule = _rules[rng.Pick(segments)];
        var st = s.Streets[rule.Street];
        var h = HouseIn(rng, rule.Houses, st.MaxHouse);
        var coords = rng.Chance(0.55) ? PointNear(rng, school, 0.6) : ((double?)null, (double?)null);
        var index = Add(new AddressGen
        {
            Settlement = s.Index,
            Street = rule.Street,
            House = h,
            Kind = kind,
            Lat = coords.Item1,
            Lon = coords.Item2,
            Apartment = Apartment(rng, s, st),
        });

        if (kind == AddressKind.Overlap)
        {
            var others = s.Participating.Where(i => i != school.Index).ToArray();
            var other = others[rng.Next(others.Length)];
            if (!_overlapIndex.TryGetValue((other, rule.Street), out var req))
            {
                req = _overlapRequests.Count;
                _overlapIndex[(other, rule.Street)] = req;
                _overlapRequests.Add((other, rule.Street, []));
            }

            if (!_overlapRequests[req].Houses.Contains(h))
            {
                _overlapRequests[req].Houses.Add(h);
            }
        }

        return index;
    }

    private int Add(AddressGen a)
    {
        _addresses.Add(a);
        return _addresses.Count - 1;
    }

    private static string? Apartment(Prng rng, SettlementGen s, StreetGen st)
    {
        var p = st.Type == StreetType.Microdistrict ? 0.9 : s.Kind switch { "City" => 0.55, "Town" => 0.2, _ => 0.0 };
        return rng.Chance(p) ? rng.Between(1, s.Kind == "City" ? 140 : 60).ToString(Inv) : null;
    }

    private static (double? Lat, double? Lon) PointNear(Prng rng, SchoolGen sc, double fraction)
    {
        var angle = rng.NextDouble() * 2 * Math.PI;
        var d = Math.Sqrt(rng.NextDouble()) * sc.Radius * fraction;
        var cosLat = Math.Cos(sc.Lat * Math.PI / 180);
        return (Math.Round(sc.Lat + (d * Math.Sin(angle)), 6), Math.Round(sc.Lon + (d * Math.Cos(angle) / cosLat), 6));
    }

    private static string HouseIn(Prng rng, HouseSet set, int max) => set.Kind switch
    {
        HouseSetKind.List => rng.Pick(set.Items),
        HouseSetKind.All => Decorate(rng, rng.Between(1, max)),
        HouseSetKind.Range => Decorate(rng, rng.Between(set.From, Math.Min(set.To, max))),
        _ => Decorate(rng, set.From + (2 * rng.Next(((Math.Min(set.To, max) - set.From) / 2) + 1))),
    };

    private static string Decorate(Prng rng, int n)
    {
        var r = rng.NextDouble();
        var s = n.ToString(Inv);
        return r < 0.75 ? s
            : r < 0.85 ? s + rng.Pick(new[] { "А", "Б", "В" })
            : r < 0.95 ? s + "/" + rng.Between(1, 5).ToString(Inv)
            : s + " корп. " + rng.Between(1, 3).ToString(Inv);
    }

    private void EmitOverlapRules()
    {
        foreach (var (school, street, houses) in _overlapRequests)
        {
            AddRule(school, _settlements[_schools[school].Settlement], street, HouseSet.List(houses), overlap: true);
        }
    }

    // ---------------------------------------------------------------- persons

    private void BuildPersons()
    {
        var addressRng = Rng(5);
        var rng = Rng(6);
        _birthCertificateSerial = rng.Between(100_000, 200_000);
        _idCardSerial = rng.Between(1_000_000, 2_000_000);
        _oldPassportSerial = rng.Between(3_000_000, 4_000_000);

        foreach (var hh in _households)
        {
            var s = _settlements[hh.Settlement];
            var address = NewAddress(addressRng, s.Index, hh.Kind, hh.PreferredStreet);
            var eth = rng.Chance(s.Region.Uzbek) ? Ethnicity.Uzbek
                : rng.Chance(s.Region.Russian / (1 - s.Region.Uzbek)) ? Ethnicity.Russian : Ethnicity.Kyrgyz;
            var surname = rng.Pick(NamePools.Surnames(eth));
            var fatherName = rng.Pick(NamePools.Men(eth));
            var traditional = eth == Ethnicity.Kyrgyz && rng.Chance(0.08);

            var births = new DateOnly[hh.Children];
            births[0] = hh.OverAge ? RandomDate(rng, OverAgeFrom, OverAgeTo) : RandomDate(rng, EligibleFrom, EligibleTo);
            if (hh.Children == 2)
            {
                var gap = rng.Chance(0.25) ? 0 : rng.Between(300, 650);
                var second = births[0].AddDays(gap);
                if (second > EligibleTo)
                {
                    second = births[0].AddDays(-gap);
                }

                births[1] = second < EligibleFrom ? births[0] : second;
            }

            var parents = new List<(int Person, string Relation)>();
            var eldest = births.Min();
            if (hh.LegalRepresentative)
            {
                var sex = rng.Chance(0.7) ? 'F' : 'M';
                var repSurname = rng.Chance(0.6) ? surname : rng.Pick(NamePools.Surnames(eth));
                parents.Add((Adult(rng, eth, sex, repSurname, sex == 'F' ? rng.Pick(NamePools.Women(eth)) : rng.Pick(NamePools.Men(eth)),
                    eldest.AddDays(-rng.Between(45 * 365, 68 * 365)), address), "LegalRepresentative"));
            }
            else
            {
                var hasMother = rng.Chance(0.96);
                var hasFather = !hasMother || rng.Chance(0.82);
                if (hasMother)
                {
                    var motherSurname = eth == Ethnicity.Kyrgyz && rng.Chance(0.2) ? rng.Pick(NamePools.Surnames(eth)) : surname;
                    parents.Add((Adult(rng, eth, 'F', motherSurname, rng.Pick(NamePools.Women(eth)),
                        eldest.AddDays(-rng.Between(20 * 365, 40 * 365)), address), "Mother"));
                }

                if (hasFather)
                {
                    var fatherAddress = hasMother && rng.Chance(0.1) ? NewAddress(addressRng, s.Index, AddressKind.Normal) : address;
                    parents.Add((Adult(rng, eth, 'M', surname, fatherName,
                        eldest.AddDays(-rng.Between(22 * 365, 46 * 365)), fatherAddress), "Father"));
                }
            }

            string? previousName = null;
            for (var c = 0; c < hh.Children; c++)
            {
                var sex = rng.Chance(0.5) ? 'F' : 'M';
                string first;
                do
                {
                    first = rng.Pick(sex == 'F' ? NamePools.Girls(eth) : NamePools.Boys(eth));
                }
                while (first == previousName);

                previousName = first;
                var child = AddPerson(new PersonGen
                {
                    Pin = NewPin(rng, sex, births[c]),
                    LastName = traditional ? fatherName + (sex == 'F' ? " кызы" : " уулу") : NamePools.SurnameFor(surname, sex),
                    FirstName = first,
                    Patronymic = traditional ? null : NamePools.Patronymic(fatherName, sex),
                    Sex = sex,
                    BirthDate = births[c],
                    BirthCertificate = NewBirthCertificate(rng),
                    Address = address,
                    IsChild = true,
                });
                foreach (var (parent, relation) in parents)
                {
                    _links.Add(new DemoParentLink(_persons[parent].Pin, _persons[child].Pin, relation));
                }
            }
        }
    }

    private int Adult(Prng rng, Ethnicity eth, char sex, string surname, string first, DateOnly birth, int address)
    {
        var hasPhone = rng.Chance(0.85);
        var hasEmail = rng.Chance(0.35);
        var lastName = NamePools.SurnameFor(surname, sex);
        return AddPerson(new PersonGen
        {
            Pin = NewPin(rng, sex, birth),
            LastName = lastName,
            FirstName = first,
            Patronymic = NamePools.Patronymic(rng.Pick(NamePools.Men(eth)), sex),
            Sex = sex,
            BirthDate = birth,
            Passport = NewPassport(rng),
            Phone = hasPhone ? "+996 " + rng.Pick(PhonePrefixes) + " " + rng.Between(100_000, 999_999).ToString(Inv) : null,
            Email = hasEmail ? NewEmail(rng, first, lastName, birth) : null,
            Address = address,
            IsChild = false,
        });
    }

    private int AddPerson(PersonGen p)
    {
        _persons.Add(p);
        return _persons.Count - 1;
    }

    private static DateOnly RandomDate(Prng rng, DateOnly from, DateOnly to) =>
        from.AddDays(rng.Next(to.DayNumber - from.DayNumber + 1));

    private string NewPin(Prng rng, char sex, DateOnly birth)
    {
        var key = ((sex == 'F' ? 1L : 2L) * 100_000_000) + (birth.Year * 10_000) + (birth.Month * 100) + birth.Day;
        var serial = _pinSerials.TryGetValue(key, out var last) ? last + rng.Between(1, 20) : rng.Between(1, 300);
        if (serial > 99_999)
        {
            throw new InvalidOperationException("PIN serial space exhausted.");
        }

        _pinSerials[key] = serial;
        return (sex == 'F' ? "1" : "2") + birth.Day.ToString("00", Inv) + birth.Month.ToString("00", Inv)
            + birth.Year.ToString("0000", Inv) + serial.ToString("00000", Inv);
    }

    private string NewBirthCertificate(Prng rng)
    {
        _birthCertificateSerial += rng.Between(1, 9);
        return "I-КР № " + _birthCertificateSerial.ToString("0000000", Inv);
    }

    private string NewPassport(Prng rng)
    {
        if (rng.Chance(0.75))
        {
            _idCardSerial += rng.Between(1, 9);
            return "ID" + _idCardSerial.ToString("0000000", Inv);
        }

        _oldPassportSerial += rng.Between(1, 9);
        return "AN" + _oldPassportSerial.ToString("0000000", Inv);
    }

    private string NewEmail(Prng rng, string first, string last, DateOnly birth)
    {
        var f = Latin(first);
        var l = Latin(last);
        var local = rng.Next(4) switch
        {
            0 => f + "." + l + (birth.Year % 100).ToString("00", Inv),
            1 => f + l + rng.Between(1, 999).ToString(Inv),
            2 => l + "_" + f[..1] + rng.Between(1, 999).ToString(Inv),
            _ => f + "_" + rng.Between(1000, 9999).ToString(Inv),
        };
        var email = local + "@" + rng.Pick(MailDomains);
        while (!_emails.Add(email))
        {
            local += rng.Between(0, 9).ToString(Inv);
            email = local + "@" + rng.Pick(MailDomains);
        }

        return email;
    }

    private string Latin(string cyrillic)
    {
        if (!_latin.TryGetValue(cyrillic, out var latin))
        {
            _latin[cyrillic] = latin = NamePools.Translit(cyrillic);
        }

        return latin;
    }

    // ---------------------------------------------------------------- documents

    private void PlantDocumentAnomalies()
    {
        var rng = Rng(7);
        var children = Enumerable.Range(0, _persons.Count).Where(i => _persons[i].IsChild).ToList();
        var adults = Enumerable.Range(0, _persons.Count).Where(i => !_persons[i].IsChild).ToList();

        foreach (var i in Sample(rng, children, Math.Max(1, Rate(0.01, children.Count))))
        {
            _persons[i].BirthCertificate = null;
        }

        foreach (var i in Sample(rng, adults, Math.Max(1, Rate(0.01, adults.Count))))
        {
            _persons[i].Passport = null;
        }

        string[] categories = ["MilitaryFamily", "Kairylman", "DifficultLifeSituation", "Disability"];
        string[] prefixes = ["ВС", "КМ", "ТЖК", "ДМЧ"];
        double[] weights = [0.3, 0.2, 0.3, 0.2];
        var privileged = Sample(rng, children, Math.Max(4, Rate(0.03, children.Count)));
        privileged.Sort();
        for (var k = 0; k < privileged.Count; k++)
        {
            var c = k < categories.Length ? k : rng.PickWeighted(weights);
            var number = prefixes[c] + "-2026-" + (k + 1).ToString("000000", Inv);
            _documents.Add(new DemoPriorityDocument(_persons[privileged[k]].Pin, categories[c], number));
        }
    }

    private static List<int> Sample(Prng rng, List<int> from, int count)
    {
        var copy = from.ToList();
        count = Math.Min(count, copy.Count);
        for (var i = 0; i < count; i++)
        {
            var j = i + rng.Next(copy.Count - i);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        return copy.GetRange(0, count);
    }
}
