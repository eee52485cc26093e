using Enrollment.Schools.Domain.Addresses;

namespace Enrollment.Schools.Tests.Addresses;

public sealed class StreetAliasTableTests
{
    private const string Bishkek = "41711000000000";
    private const string Osh = "41721000000000";

    private static readonly StreetAliasTable Table = new(
    [
        new StreetAlias(Bishkek, "улица Ленина", "Ленин көчөсү"),
        new StreetAlias(Bishkek, "проспект Чуй", "Чүй проспектиси"),
        new StreetAlias(Bishkek, "ул. Киевская", "Киев көчөсү"),
        new StreetAlias(Bishkek, "Киев көчөсү", "ул. Киевская (бывш.)"),
    ]);

    [Fact]
    public void Kyrgyz_and_russian_names_of_a_street_have_one_canonical_key()
    {
        Assert.True(Table.AreSameStreet(Bishkek, "ул. Ленина", "Ленин көчөсү"));
        Assert.Equal(Table.CanonicalKey(Bishkek, "улица  ЛЕНИНА"), Table.CanonicalKey(Bishkek, "ЛЕНИН КӨЧӨСҮ"));
        Assert.True(Table.AreSameStreet(Bishkek, "пр. Чуй", "Чүй проспектиси"));
    }

    [Fact]
    public void Aliases_are_transitive_and_the_canonical_key_does_not_depend_on_order()
    {
        Assert.True(Table.AreSameStreet(Bishkek, "Киевская", "ул. Киевская (бывш.)"));
        var reversed = new StreetAliasTable(
        [
            new StreetAlias(Bishkek, "ул. Киевская (бывш.)", "Киев көчөсү"),
            new StreetAlias(Bishkek, "Киев көчөсү", "ул. Киевская"),
        ]);
        Assert.Equal(Table.CanonicalKey(Bishkek, "Киевская"), reversed.CanonicalKey(Bishkek, "Киевская"));
    }

    [Fact]
    public void Aliases_apply_only_in_their_settlement()
    {
        Assert.False(Table.AreSameStreet(Osh, "ул. Ленина", "Ленин көчөсү"));
        Assert.Equal("ленина", Table.CanonicalKey(Osh, "ул. Ленина"));
    }

    [Fact]
    public void Without_an_alias_the_genitive_and_bare_forms_differ()
    {
        Assert.False(StreetAliasTable.Empty.AreSameStreet(Bishkek, "улица Ленина", "Ленин көчөсү"));
    }

    [Fact]
    public void An_alias_with_an_empty_name_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new StreetAliasTable([new StreetAlias(Bishkek, "ул.", " ")]));
    }
}
