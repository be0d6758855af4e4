"""The interpretation register: where the statute is ambiguous, the reading the
engine follows by default. A decision whose path went through one of these reports
its code in ``Decision.notes``; the parameters in ``params.yaml`` let a reform flip
the choices that are matters of degree. See ``shared/spec/README.md``.
"""

REGISTER: dict[str, str] = {
    "E-1": "The 5-year lookback runs from the judgment (sentencing) date to the instant arrest, "
    "extended by days incarcerated for a violent or serious crime between its commission and the arrest "
    "(overlaps counted once); exactly five years is not recent.",
    "E-2": "A conviction without a sentence is not a CPL 1.20(15) judgment (2014 and later); youthful-offender "
    "and juvenile-delinquency adjudications are never convictions.",
    "E-2a": "Before 2014-12-14 a plea or verdict of guilty not yet sentenced counts as a 'final judgment of "
    "guilt' (§ 9-131(a)(2) of 2011 and 2013, § 14-154(a)(2) of 2013); the parameter "
    "pre2014_conviction_needs_sentence reads it as needing the sentence (CPL 1.20(15)).",
    "E-3": "An out-of-state or federal conviction counts only as a predicate felony equivalent to a violent or "
    "serious crime (a listed crime, a felony hate crime or a VTL 600 felony); its own judgment date starts the "
    "lookback.",
    "E-4": "Any one qualifying judgment inside its window suffices; later convictions do not restart it.",
    "E-5": "A list entry limited to a subdivision matches only when the conviction's subdivision is recorded "
    "and listed.",
    "E-6": "An inchoate offence counts only if it is itself a felony and its target is listed.",
    "E-7": "A listed section later repealed or renumbered still counts for judgments under it.",
    "E-8": "For DOC and Probation the judicial warrant must come with the detainer; a later one does not "
    "satisfy § 9-131(b)(1) or § 9-205(b).",
    "E-9": "The NYPD window starts when the person would otherwise be released; Saturdays, Sundays and US "
    "federal holidays (observed dates) do not count.",
    "E-9b": "A judicial warrant presented inside the NYPD window permits the hold to continue for transfer and "
    "ICE to be told of the release.",
    "E-9c": "Every permitted hold on a detainer lasts at most 48 hours, excluding Saturdays, Sundays and holidays "
    "(US federal by default), after the person would otherwise be released: the detainer asks for no more "
    "(8 C.F.R. 287.7(d)). By default the limit is a condition of the hold; the parameter "
    "detainer_hold_limit_as_until=true reports its end as `until` (DOC, Probation, the 2011 and 2013 versions, "
    "NYPD under (b)(1) and the (b)(2) proviso).",
    "E-10": "Between 2014-12-14 and 2015-02-11 § 9-131 did not restrict DOC answers to ICE inquiries "
    "(subdivision (h) was not yet in force).",
    "E-12": "Who may show a circumstance (person.sources; absent: the records search): 2011 (b)(2)(i) only the "
    "e-JusticeNY search, (ii) the search or ICE; 2013 adds a court to (i); from 2014 the search, a court or 'any "
    "other governmental entity' (agency), read to include ICE. A flag shown by a source the version does not "
    "accept does not count. Sources of convictions and pending cases are not recorded: they are taken as the "
    "search's.",
    "E-13": "Information about citizenship or immigration status is outside § 9-131(h)(1) (and federal law, "
    "8 U.S.C. § 1373, bars restricting it).",
    "E-13a": "§ 10-178 has no citizenship/immigration-status carve-out; the pack reads one in for NYPD and "
    "Probation answers as for DOC's: 8 U.S.C. § 1373(a) bars a city from prohibiting its officials from sending "
    "such information to ICE, and § 10-178(e) does not restrict compliance with federal law or discretion federal "
    "law protects. The parameter city_resources_status_carveout=false applies § 10-178(c) to status answers.",
    "E-13b": "An NYPD or Probation answer to ICE about a person whose detainer § 14-154(b) or § 9-205(b) would let "
    "the agency honor is not an action 'consistent with' those sections (§ 10-178(e)(ii)): they regulate only "
    "honoring detainers, and only § 9-131(h)(1)(i) (DOC) has an exception for answers about people with a "
    "violent-or-serious conviction, so § 10-178(c) bars every such answer (the NYPD's report for July 2018 to June "
    "2019 counts 7 answers about such people). The parameter city_answers_follow_section_hold=true saves them.",
    "E-14": "§ 10-178 bars city resources for immigration enforcement, but an action that §§ 9-131, 9-205 or "
    "14-154 permits stays permitted (§ 10-178(e)(ii)), including a DOC answer that § 9-131(h)(1)(ii) permits as "
    "'unrelated to the enforcement of civil immigration laws' though it serves criminal immigration enforcement "
    "(re-entry) that § 10-178(c) was written to bar: the later section saves it in its own words. The parameter "
    "doc_criminal_immigration_answers_saved=false lets § 10-178(c) decide such answers.",
    "X-COMPARABLE": "2013 'covered' crimes and cases include 'comparable' provisions of other states and federal "
    "law: an out-of-state or federal conviction counts by its level (misdemeanor or felony) and is excluded "
    "(PL 230.00, 240.37, VTL 511) only when the record names that New York equivalent "
    "(Conviction.equivalent_statute); a pending out-of-state misdemeanor charge makes no covered criminal case, "
    "since its comparable New York provision is not recorded (a felony charge does).",
    "X-SEALED": "Sealed and vacated convictions are not modelled as facts: a conviction vacated under CPL 440.10 "
    "is no judgment and must be left out of the Case; a conviction sealed under CPL 160.50/160.55 (terminations, "
    "non-criminal dispositions) is not a conviction of a crime and is left out; one sealed under CPL 160.59 "
    "stays a conviction in every version, but whether the records search shows it is unverified, so the Case "
    "should list it only when the agency knows of it.",
    "X-OTHER": "Not modelled as rules: § 9-205(g) (Probation publishes its policy on information requests, from "
    "2018-03-01) and § 4-210(c)-(f) (human-services contractors' sites, guidelines, posting, training) impose "
    "duties to publish or to train, not a decision on a request; the reports of (f) are laws/nyc/reports'.",
    "E-16": "From 2014-12-14 pending charges never make a person 'convicted', however serious.",
    "E-17": "A federal criminal warrant is not a civil immigration detainer; unless it is for an immigration "
    "offence, honoring it is not governed by these sections.",
    "E-18": "From 2026-01-29 'federal immigration authorities' includes any federal officer whose duties include "
    "immigration enforcement in whole or in part.",
    "E-19": "The law in force on the decision date decides, even when the instant arrest predates it.",
    "RULE": "The seven offences added by DOC rule 39 RCNY § 2-01 count from a configurable date "
    "(adoption date unknown; default 2020-04-29).",
    "EO-50": "Executive Order 50 of 2025 (issued 2025-04-08; restrained 2025-04-21; enjoined 2025-06-13; "
    "declared null and void 2025-09-15) never authorized an office on DOC land: the ruling voids it from its "
    "issue. The parameter eo50_void_from_issue=false lets it stand from its issue until the restraining order.",
    "H2-EO": "Before LL 63/2026, an office on DOC land for purposes other than civil immigration "
    "investigations is allowed only under a mayoral executive order (the § 9-131(h)(2) proviso).",
    "D-FED": "Subdivision (d) of § 9-131 (from 2012-03-21) and of § 14-154 (from 2013-07-16) lets a city agency "
    "cooperate with federal immigration authorities 'when required under federal law'; § 9-205(d) says only that "
    "the section creates no duty 'in conflict with any applicable law', read to the same effect. "
    "request.required_by_law marks such a duty; a detainer alone is a request, not a duty (8 C.F.R. 287.7(a)).",
    "DOP-1": "§ 9-205 regulates only holding: a Probation release notice on a detainer is not an action that "
    "§ 9-205 permits, so it is not governed before 2018-01-30 and is then decided by § 10-178 (prohibited unless "
    "one of its other savings applies).",
    "X-ACCESS": "Access to non-public areas under a judicial warrant is compliance with federal law (§ 10-178(e)), "
    "so § 10-178(c) does not bar it.",
    "X-485": "A conviction recorded under PL 485.05 is the hate-crime designation of § 9-131(a)(7)(ii) "
    "(§ 14-154(a)(6)(ii)): it counts when it is a felony, like one marked hate_crime.",
    "X-2013": "The 2013 'covered' exclusions apply only when the record shows the excluded provision "
    "(e.g. VTL 511 with its subdivision); a PL 240.37 charge is excluded unless it is marked as patronizing.",
    "X-TRANSFER": "Transfer to ICE at release (request kind 'transfer', action transfer_at_release) is its own "
    "action, decided by the state layer (Wells v. DeMarco: a hand-over that adds no custody time is not an "
    "arrest, register Q-W3) and federal law. The city's sections do not name a transfer: they regulate honoring a "
    "detainer by holding the person or by notifying federal authorities of the release, and a hand-over that a "
    "hold or a notice makes possible is decided through those actions; the city layer answers not_governed for "
    "the transfer itself. A reading that counts every hand-over as honoring the detainer would add a city rule "
    "with the hold's conditions.",
}
