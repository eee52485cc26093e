namespace Enrollment.DemoData.Tests;

public sealed class TinyCommonTests
{
    private static readonly DemoDataset Tiny = DemoDataGenerator.Generate(DemoProfile.Tiny);

    [Fact]
    public void Tiny_every_participating_school_has_rules_and_a_closed_polygon() => CommonRules.SchoolsRulesAndPolygonsAreConsistent(Tiny);

    [Fact]
    public void Tiny_every_child_is_linked_to_a_parent_and_everyone_has_an_address() =>
        CommonRules.EveryChildHasParentsAndEveryoneAnAddress(Tiny);

    [Fact]
    public void Tiny_document_and_age_anomaly_lists_match_the_persons() => CommonRules.OverAgeAndDocumentListsMatchPersons(Tiny);

    [Fact]
    public void Tiny_accounts_meet_the_password_policy() => CommonRules.PasswordsMeetPolicy(Tiny);
}
