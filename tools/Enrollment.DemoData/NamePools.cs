namespace Enrollment.DemoData;

internal enum Ethnicity
{
    Kyrgyz,
    Russian,
    Uzbek,
}

internal enum StreetType
{
    Street,
    Lane,
    Avenue,
    Microdistrict,
}

/// <param name="Ru">Russian form as used after the type word ("Ленина", "Зелёная").</param>
/// <param name="Ky">Kyrgyz form used before the type word ("Ленин", "Жашыл").</param>
/// <param name="Adjective">Russian adjective (feminine) form: cannot be used for a lane.</param>
internal sealed record StreetBase(string Ru, string Ky, bool Adjective = false);

/// <summary>Name pools: people, streets, villages, school patrons.</summary>
internal static class NamePools
{
    public static readonly IReadOnlyList<string> KyrgyzSurnames =
    [
        "Асанов", "Абдыкадыров", "Токтогулов", "Осмонов", "Мамытов", "Жумабеков", "Исаков", "Сыдыков", "Кадыров",
        "Бейшеналиев", "Турдуев", "Бакиров", "Алыкулов", "Сулайманов", "Эсенов", "Абдыраев", "Момунов", "Токтосунов",
        "Жапаров", "Ташиев", "Усенов", "Касымов", "Мамбетов", "Бообеков", "Иманалиев", "Шаршеев", "Дүйшөнбиев",
        "Орозбаев", "Султанов", "Курманов", "Сатыбалдиев", "Калыев", "Эргешов", "Темиров", "Абдылдаев", "Байзаков",
        "Чотонов", "Жээнбеков", "Акматов", "Бекмуратов", "Кубанычбеков", "Нурматов", "Садыров", "Төлөгөнов",
    ];

    public static readonly IReadOnlyList<string> RussianSurnames =
    [
        "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов",
        "Волков", "Соловьёв", "Васильев", "Зайцев", "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов",
        "Воробьёв", "Фёдоров", "Михайлов", "Беляев", "Тарасов", "Белов", "Комаров", "Орлов", "Киселёв", "Макаров", "Андреев",
    ];

    public static readonly IReadOnlyList<string> UzbekSurnames =
    [
        "Юсупов", "Рахимов", "Каримов", "Абдуллаев", "Мирзаев", "Хасанов", "Турсунов", "Назаров", "Эргашев", "Алимов",
        "Усмонов", "Маматов", "Исмаилов", "Холматов", "Ахмедов", "Султонов", "Рашидов", "Юлдашев",
    ];

    public static readonly IReadOnlyList<string> KyrgyzMen =
    [
        "Айбек", "Нурлан", "Бакыт", "Азамат", "Эрлан", "Талант", "Улан", "Марат", "Канат", "Жыргалбек", "Алмаз", "Руслан",
        "Тимур", "Эрмек", "Самат", "Мирлан", "Нурбек", "Бекжан", "Кубат", "Мелис", "Данияр", "Адилет", "Айдар",
        "Алтынбек", "Бактыбек", "Медер", "Нурсултан", "Жоомарт", "Чынгыз", "Актан", "Асан", "Үсөн", "Эламан", "Таалай",
    ];

    public static readonly IReadOnlyList<string> KyrgyzWomen =
    [
        "Айгерим", "Бактыгүл", "Гүлнара", "Жылдыз", "Назгүл", "Чолпон", "Айнура", "Динара", "Асель", "Мээрим", "Айжан",
        "Бурул", "Гулзат", "Нургүл", "Айпери", "Салтанат", "Элмира", "Эльвира", "Жазгүл", "Зарина", "Токтогүл", "Керемет",
    ];

    public static readonly IReadOnlyList<string> KyrgyzBoys =
    [
        "Эмир", "Байэл", "Айдар", "Нурислам", "Алихан", "Бекзат", "Амир", "Имран", "Нурдин", "Арсен", "Элдияр", "Адис",
        "Нурэль", "Тимур", "Санжар", "Мирас", "Бектур", "Айбар", "Нуртилек", "Эрбол",
    ];

    public static readonly IReadOnlyList<string> KyrgyzGirls =
    [
        "Айару", "Айдана", "Сезим", "Нурайым", "Айлин", "Томирис", "Медина", "Аруузат", "Айназик", "Амина", "Самира",
        "Адинай", "Айсулуу", "Нуриза", "Эльнура", "Бермет", "Каныкей", "Асылзат",
    ];

    public static readonly IReadOnlyList<string> RussianMen =
    [
        "Александр", "Сергей", "Андрей", "Дмитрий", "Алексей", "Николай", "Евгений", "Владимир", "Игорь", "Олег", "Виктор",
        "Максим", "Денис", "Роман", "Павел",
    ];

    public static readonly IReadOnlyList<string> RussianWomen =
    [
        "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Мария", "Юлия", "Екатерина", "Анастасия", "Оксана",
    ];

    public static readonly IReadOnlyList<string> RussianBoys =
    [
        "Артём", "Михаил", "Матвей", "Иван", "Максим", "Лев", "Марк", "Тимофей", "Фёдор", "Даниил",
    ];

    public static readonly IReadOnlyList<string> RussianGirls =
    [
        "Алиса", "София", "Ева", "Варвара", "Анна", "Мария", "Виктория", "Полина", "Вероника", "Милана",
    ];

    public static readonly IReadOnlyList<string> UzbekMen =
    [
        "Рустам", "Шухрат", "Фаррух", "Бахтиёр", "Азиз", "Санжар", "Шерзод", "Улугбек", "Жахонгир", "Дилшод", "Ильхом",
        "Равшан", "Отабек", "Акмал",
    ];

    public static readonly IReadOnlyList<string> UzbekWomen =
    [
        "Дилноза", "Гулнора", "Мохира", "Зулфия", "Нигора", "Феруза", "Шахноза", "Малика", "Дильфуза", "Нодира",
    ];

    public static readonly IReadOnlyList<string> UzbekBoys =
    [
        "Мухаммад", "Абдулла", "Умар", "Алишер", "Самир", "Азизбек", "Асадбек", "Ибрагим",
    ];

    public static readonly IReadOnlyList<string> UzbekGirls =
    [
        "Сабина", "Мадина", "Зайнаб", "Оиша", "Малика", "Хадича", "Мехрибон", "Сумая",
    ];

    public static IReadOnlyList<string> Surnames(Ethnicity e) => e switch
    {
        Ethnicity.Russian => RussianSurnames,
        Ethnicity.Uzbek => UzbekSurnames,
        _ => KyrgyzSurnames,
    };

    public static IReadOnlyList<string> Men(Ethnicity e) => e switch
    {
        Ethnicity.Russian => RussianMen,
        Ethnicity.Uzbek => UzbekMen,
        _ => KyrgyzMen,
    };

    public static IReadOnlyList<string> Women(Ethnicity e) => e switch
    {
        Ethnicity.Russian => RussianWomen,
        Ethnicity.Uzbek => UzbekWomen,
        _ => KyrgyzWomen,
    };

    public static IReadOnlyList<string> Boys(Ethnicity e) => e switch
    {
        Ethnicity.Russian => RussianBoys,
        Ethnicity.Uzbek => UzbekBoys,
        _ => KyrgyzBoys,
    };

    public static IReadOnlyList<string> Girls(Ethnicity e) => e switch
    {
        Ethnicity.Russian => RussianGirls,
        Ethnicity.Uzbek => UzbekGirls,
        _ => KyrgyzGirls,
    };

    /// <summary>Surname in the form for the given sex ("Асанов" → "Асанова").</summary>
    public static string SurnameFor(string male, char sex) => sex == 'F' ? male + "а" : male;

    /// <summary>Russian-style patronymic from a father's first name.</summary>
    public static string Patronymic(string father, char sex)
    {
        var f = sex == 'F';
        return father switch
        {
            "Дмитрий" => f ? "Дмитриевна" : "Дмитриевич",
            "Евгений" => f ? "Евгеньевна" : "Евгеньевич",
            _ when father.EndsWith('й') || father.EndsWith('ь') => father[..^1] + (f ? "евна" : "евич"),
            _ => father + (f ? "овна" : "ович"),
        };
    }

    public static readonly IReadOnlyList<StreetBase> StreetBases =
    [
        new("Ленина", "Ленин"), new("Токтогула", "Токтогул"), new("Манаса", "Манас"), new("Абдрахманова", "Абдрахманов"),
        new("Ибраимова", "Ибраимов"), new("Исанова", "Исанов"), new("Тыныстанова", "Тыныстанов"), new("Раззакова", "Раззаков"),
        new("Ахунбаева", "Ахунбаев"), new("Байтик Баатыра", "Байтик Баатыр"), new("Фрунзе", "Фрунзе"), new("Пушкина", "Пушкин"),
        new("Гоголя", "Гоголь"), new("Горького", "Горький"), new("Шевченко", "Шевченко"), new("Чехова", "Чехов"),
        new("Толстого", "Толстой"), new("Масалиева", "Масалиев"), new("Курманжан Датки", "Курманжан Датка"),
        new("Алымбека Датки", "Алымбек Датка"), new("Айтматова", "Айтматов"), new("Уметалиева", "Уметалиев"),
        new("Боконбаева", "Бөкөнбаев"), new("Орозбекова", "Орозбеков"), new("Тоголок Молдо", "Тоголок Молдо"),
        new("Карасаева", "Карасаев"), new("Сыдыкова", "Сыдыков"), new("Турусбекова", "Турусбеков"), new("Юнусалиева", "Юнусалиев"),
        new("Гагарина", "Гагарин"), new("Кирова", "Киров"), new("Чкалова", "Чкалов"), new("Мичурина", "Мичурин"),
        new("Шопокова", "Шопоков"), new("Осмонкула", "Осмонкул"), new("Навои", "Навои"), new("Бабура", "Бабур"),
        new("Королёва", "Королёв"), new("Жукова", "Жуков"), new("Суворова", "Суворов"), new("Лермонтова", "Лермонтов"),
        new("Островского", "Островский"), new("Жибек Жолу", "Жибек Жолу"), new("Молодой Гвардии", "Жаш Гвардия"),
        new("Победы", "Жеңиш"), new("Мира", "Тынчтык"), new("Дружбы", "Достук"), new("Строителей", "Куруучулар"),
        new("Фучика", "Фучик"), new("Матросова", "Матросов"), new("Кулатова", "Кулатов"), new("Логвиненко", "Логвиненко"),
        new("Суеркулова", "Сүйөркулов"), new("Валиханова", "Валиханов"), new("Баласагына", "Баласагын"), new("Абая", "Абай"),
        new("Ала-Тоо", "Ала-Тоо"), new("Курманбека", "Курманбек"), new("Эркиндик", "Эркиндик"), new("Космонавтов", "Космонавттар"),
        new("Чапаева", "Чапаев"), new("Белинского", "Белинский"), new("Маяковского", "Маяковский"), new("Есенина", "Есенин"),
        new("Осипенко", "Осипенко"), new("Айни", "Айни"), new("Салиевой", "Салиева"), new("Сатылганова", "Сатылганов"),
        new("Московская", "Москва", true), new("Киевская", "Киев", true), new("Советская", "Советтик", true),
        new("Первомайская", "Биринчи май", true), new("Зелёная", "Жашыл", true), new("Берёзовая", "Кайың", true),
        new("Садовая", "Бакча", true), new("Школьная", "Мектеп", true), new("Речная", "Дарыя", true),
        new("Набережная", "Жээк", true), new("Полевая", "Талаа", true), new("Озёрная", "Көл", true), new("Горная", "Тоо", true),
        new("Новая", "Жаңы", true), new("Центральная", "Борбордук", true), new("Колхозная", "Колхоз", true),
        new("Заводская", "Завод", true), new("Рабочая", "Жумушчу", true), new("Лесная", "Токой", true),
        new("Солнечная", "Күн", true), new("Весенняя", "Жаз", true), new("Молодёжная", "Жаштар", true),
        new("Ысык-Кульская", "Ысык-Көл", true), new("Нарынская", "Нарын", true), new("Ошская", "Ош", true),
        new("Таласская", "Талас", true),
    ];

    public static readonly IReadOnlyList<StreetBase> AvenueBases =
    [
        new("Чуй", "Чүй"), new("Манаса", "Манас"), new("Жибек Жолу", "Жибек Жолу"), new("Айтматова", "Айтматов"),
        new("Масалиева", "Масалиев"), new("Мира", "Тынчтык"), new("Ленина", "Ленин"), new("Дэн Сяопина", "Дэн Сяопин"),
        new("Курманжан Датки", "Курманжан Датка"), new("Алымбека Датки", "Алымбек Датка"),
    ];

    public static readonly IReadOnlyList<StreetBase> MicrodistrictBases =
    [
        new("Джал", "Жал"), new("Асанбай", "Асанбай"), new("Восток-5", "Восток-5"), new("Аламедин-1", "Аламүдүн-1"),
        new("Тунгуч", "Түнгүч"), new("Кок-Жар", "Көк-Жар"), new("Улан", "Улан"), new("Учкун", "Учкун"), new("Анар", "Анар"),
        new("Черёмушки", "Черёмушки"), new("Туран", "Туран"), new("Келечек", "Келечек"), new("Ак-Орго", "Ак-Өргө"),
        new("Арча-Бешик", "Арча-Бешик"), new("Ынтымак", "Ынтымак"), new("Кызыл-Аскер", "Кызыл-Аскер"),
    ];

    public static string StreetNameRu(StreetType t, StreetBase b) => t switch
    {
        StreetType.Lane => "переулок " + b.Ru,
        StreetType.Avenue => "проспект " + b.Ru,
        StreetType.Microdistrict => "микрорайон " + b.Ru,
        _ => "улица " + b.Ru,
    };

    public static string StreetNameKy(StreetType t, StreetBase b) => t switch
    {
        StreetType.Lane => b.Ky + " тыкыры",
        StreetType.Avenue => b.Ky + " проспектиси",
        StreetType.Microdistrict => b.Ky + " кичи району",
        _ => b.Ky + " көчөсү",
    };

    public static readonly IReadOnlyList<string> VillagePrefixes =
    [
        "Ак", "Кара", "Кызыл", "Көк", "Сары", "Жаңы", "Орто", "Төмөнкү", "Жогорку", "Чоң", "Кичи", "Кош", "Бор", "Таш",
        "Кум", "Тал", "Терек", "Ала", "Боз", "Жар",
    ];

    public static readonly IReadOnlyList<string> VillageSuffixes =
    [
        "Суу", "Булак", "Жар", "Сай", "Терек", "Кыя", "Тоо", "Дөбө", "Жол", "Кашка", "Арык", "Көл", "Талаа", "Коргон",
        "Өзөк", "Кайың", "Арча", "Кыштак", "Жайлоо", "Жазы",
    ];

    public static readonly IReadOnlyList<string> RussianVillages =
    [
        "Ивановка", "Петровка", "Михайловка", "Александровка", "Николаевка", "Васильевка", "Новопокровка", "Гавриловка",
        "Садовое", "Луговое", "Ленинское", "Красная Речка", "Октябрьское", "Первомайское", "Полтавка", "Дмитриевка",
        "Ананьево", "Григорьевка", "Семёновка", "Степное", "Новороссийка", "Светлый Путь",
    ];

    /// <summary>Kyrgyz spelling → common Russian spelling of a place name ("Көк-Жар" → "Кок-Жар").</summary>
    public static string KyToRu(string ky) => ky.Replace('ң', 'н').Replace('ө', 'о').Replace('ү', 'у')
        .Replace('Ң', 'Н').Replace('Ө', 'О').Replace('Ү', 'У');

    /// <summary>School patrons: Russian genitive ("им. Ч. Айтматова") and Kyrgyz ("Чыңгыз Айтматов атындагы").</summary>
    public static readonly IReadOnlyList<(string Ru, string Ky)> Patrons =
    [
        ("А. Осмонова", "Алыкул Осмонов"), ("Токтогула", "Токтогул"), ("Ч. Айтматова", "Чыңгыз Айтматов"),
        ("Т. Сатылганова", "Токтогул Сатылганов"), ("К. Тыныстанова", "Касым Тыныстанов"), ("Ж. Баласагына", "Жусуп Баласагын"),
        ("Курманжан Датки", "Курманжан Датка"), ("Тоголок Молдо", "Тоголок Молдо"), ("Б. Бейшеналиевой", "Бүбүсара Бейшеналиева"),
        ("М. Горького", "Максим Горький"), ("А. С. Пушкина", "А. С. Пушкин"), ("Ю. Гагарина", "Юрий Гагарин"),
        ("Ж. Бөкөнбаева", "Жоомарт Бөкөнбаев"), ("Барпы Алыкулова", "Барпы Алыкулов"), ("Т. Сыдыкбекова", "Түгөлбай Сыдыкбеков"),
    ];

    private static readonly Dictionary<char, string> Latin = new()
    {
        ['а'] = "a", ['б'] = "b", ['в'] = "v", ['г'] = "g", ['д'] = "d", ['е'] = "e", ['ё'] = "yo", ['ж'] = "zh",
        ['з'] = "z", ['и'] = "i", ['й'] = "y", ['к'] = "k", ['л'] = "l", ['м'] = "m", ['н'] = "n", ['ң'] = "n",
        ['о'] = "o", ['ө'] = "o", ['п'] = "p", ['р'] = "r", ['с'] = "s", ['т'] = "t", ['у'] = "u", ['ү'] = "u",
        ['ф'] = "f", ['х'] = "kh", ['ц'] = "ts", ['ч'] = "ch", ['ш'] = "sh", ['щ'] = "sch", ['ъ'] = "", ['ы'] = "y",
        ['ь'] = "", ['э'] = "e", ['ю'] = "yu", ['я'] = "ya",
    };

    /// <summary>Simple Cyrillic → Latin transliteration for e-mail names.</summary>
    public static string Translit(string s)
    {
        var sb = new System.Text.StringBuilder(s.Length + 4);
        foreach (var ch in s)
        {
            var lower = char.ToLowerInvariant(ch);
            if (Latin.TryGetValue(lower, out var lat))
            {
                sb.Append(lat);
            }
            else if (lower is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                sb.Append(lower);
            }
        }

        return sb.ToString();
    }
}
