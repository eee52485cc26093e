namespace Enrollment.DemoData.Tests;

public sealed class HouseSetTests
{
    [Theory]
    [InlineData("*", "12", true)]
    [InlineData("*", "15 корп. 2", true)]
    [InlineData("1-49", "49", true)]
    [InlineData("1-49", "50", false)]
    [InlineData("1-49", "12А", true)]
    [InlineData("1-49", "12/3", true)]
    [InlineData("10-49", "9Б", false)]
    [InlineData("odd:1-49", "13", true)]
    [InlineData("odd:1-49", "14", false)]
    [InlineData("odd:1-49", "13/2", true)]
    [InlineData("even:2-50", "14", true)]
    [InlineData("even:2-50", "51", false)]
    [InlineData("list:12,12А,12/3,15 корп. 2", "12А", true)]
    [InlineData("list:12,12А,12/3,15 корп. 2", "12а", true)]
    [InlineData("list:12,12А,12/3,15 корп. 2", "15  корп. 2", true)]
    [InlineData("list:12,12А,12/3,15 корп. 2", "12Б", false)]
    [InlineData("list:12,12А,12/3,15 корп. 2", "15", false)]
    public void House_set_matches_houses_by_its_documented_syntax(string set, string house, bool expected) =>
        Assert.Equal(expected, HouseSet.Parse(set).Contains(house));

    [Theory]
    [InlineData("*")]
    [InlineData("1-49")]
    [InlineData("odd:1-49")]
    [InlineData("even:2-50")]
    [InlineData("list:12,12А,12/3,15 корп. 2")]
    public void House_set_round_trips_through_its_text(string set) => Assert.Equal(set, HouseSet.Parse(set).ToString());

    [Fact]
    public void Apportion_distributes_the_exact_total() =>
        Assert.Equal(100, Builder.Apportion(100, [1.0, 2.0, 3.3, 0.1]).Sum());
}

public sealed class NamePoolTests
{
    [Theory]
    [InlineData("Нурлан", 'M', "Нурланович")]
    [InlineData("Нурлан", 'F', "Нурлановна")]
    [InlineData("Сергей", 'M', "Сергеевич")]
    [InlineData("Николай", 'F', "Николаевна")]
    [InlineData("Игорь", 'M', "Игоревич")]
    [InlineData("Дмитрий", 'F', "Дмитриевна")]
    [InlineData("Евгений", 'M', "Евгеньевич")]
    public void Patronymic_is_formed_by_russian_rules(string father, char sex, string expected) =>
        Assert.Equal(expected, NamePools.Patronymic(father, sex));
}
