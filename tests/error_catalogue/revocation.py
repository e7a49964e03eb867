"""Error catalogue rows of the revocation entry points (issue 8).

Scenario files, :meth:`Scenario.replace`, ``pg.solve``, ``pg.minimum_assurance``,
``pg.hedge``, ``pg.assurance_for_share`` and the batch kernels ``pg.batch.minimum_assurance``
and ``pg.batch.revocation_equilibrium``: each row is a bad input and the exact error.
"""

import numpy as np

import paxgame as pg
from paxgame.io import loads_toml

SC = "games/scenarios/revocation_order.toml"
PL = "games/scenarios/plural_dependencies.toml"
B = dict(transition=[[1.0]], provider_value=1.0, revocation_gain=12.0, access_value=3.0,
         outside_option=1.2, revocation_loss=6.0)
MIN = '''kind = "revocation"
discount = 0.9
[[partners]]
name = "p"
access_value = 3.0
outside_option = 1.2
revocation_loss = 6.0
provider_value = 1.0
revocation_gain = 12.0
'''

CASES = [
    dict(entry='pg.load (revocation)', bad_input='discount = 1.2',
         call=lambda: loads_toml(MIN.replace("0.9", "1.2"), "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'discount': must lie in (0, 1), got 1.2"),
    dict(entry='pg.load (revocation)', bad_input='discount = 0 (the boundary)',
         call=lambda: loads_toml(MIN.replace("0.9", "0"), "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'discount': must lie in (0, 1), got 0.0"),
    dict(entry='pg.load (revocation)', bad_input='a transition row summing to 0.9',
         call=lambda: loads_toml(MIN + '[regimes]\nnames = ["a", "b"]\n'
                                 'transition = [[0.5, 0.4], [0.5, 0.5]]\n', "x.toml"),
         error=pg.GameFileError,
         message=("load: x.toml: key 'regimes.transition': row 0 sums to 0.9, not 1 (tolerance "
                  '1e-9)')),
    dict(entry='pg.load (revocation)', bad_input='a negative transition probability',
         call=lambda: loads_toml(MIN + '[regimes]\nnames = ["a", "b"]\n'
                                 'transition = [[1.5, -0.5], [0.5, 0.5]]\n', "x.toml"),
         error=pg.GameFileError,
         message=("load: x.toml: key 'regimes.transition': entry [0, 0] is 1.5: probabilities "
                  'must lie in [0, 1]')),
    dict(entry='pg.load (revocation)', bad_input='a negative revocation loss',
         call=lambda: loads_toml(MIN.replace("revocation_loss = 6.0", "revocation_loss = -6.0"),
                                 "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'partners[0].revocation_loss': must be non-negative, got -6.0"),
    dict(entry='pg.load (revocation)', bad_input='adversary_hazard = 2',
         call=lambda: loads_toml(MIN + "adversary_hazard = 2\n", "x.toml"),
         error=pg.GameFileError,
         message=("load: x.toml: key 'partners[0].adversary_hazard': must be a probability in "
                  '[0, 1], got 2.0')),
    dict(entry='pg.load (revocation)', bad_input="misspelt key 'outside_optoin'",
         call=lambda: loads_toml(MIN.replace("outside_option", "outside_optoin"), "x.toml"),
         error=pg.GameFileError,
         message=("load: x.toml: key 'partners[0].outside_optoin': unknown key (did you mean "
                  "'outside_option'?)")),
    dict(entry='pg.load (revocation)', bad_input="unknown top-level key 'horizn'",
         call=lambda: loads_toml("horizn = 3\n" + MIN, "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'horizn': unknown key (did you mean 'horizon'?)"),
    dict(entry='pg.load (revocation)', bad_input="governance = 'hub'",
         call=lambda: loads_toml('governance = "hub"\n' + MIN, "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'governance': must be one of bilateral, collective, got 'hub'"),
    dict(entry='pg.load (revocation)', bad_input='duplicated partner names',
         call=lambda: loads_toml(MIN + MIN.split("discount = 0.9\n")[1], "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'partners[1].name': duplicates partners[0] ('p')"),
    dict(entry='pg.load (revocation)', bad_input="unknown instrument preset 'bnd'",
         call=lambda: loads_toml(MIN + '[[instruments]]\npreset = "bnd"\n', "x.toml"),
         error=pg.GameFileError,
         message=("load: x.toml: key 'instruments[0].preset': unknown preset 'bnd' (did you mean "
                  "'bond'?); choose one of: bond, local_copies, sovereign_hosting, coproduction, "
                  'treaty, notice_period, custom')),
    dict(entry='pg.load (revocation)', bad_input='no [[partners]]',
         call=lambda: loads_toml('kind = "revocation"\ndiscount = 0.9\n', "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'partners': required key is missing"),
    dict(entry='Scenario.replace', bad_input="unknown name 'dicount'",
         call=lambda: pg.load(SC).replace(dicount=0.5),
         error=ValueError,
         message="Scenario.replace: unknown parameter 'dicount' (did you mean 'discount'?)"),
    dict(entry='Scenario.replace', bad_input='discount = 1',
         call=lambda: pg.load(SC).replace(discount=1.0),
         error=ValueError,
         message='Scenario.replace: discount must lie in (0, 1), got 1.0'),
    dict(entry='Scenario.replace', bad_input='unknown partner',
         call=lambda: pg.load(SC).replace(**{"partners.nobody.access_value": 1.0}),
         error=ValueError,
         message="Scenario.replace: unknown partner 'nobody' in 'partners.nobody.access_value'; "
                 "partner names: 'allied institute', 'allied firms', 'adversary customers' "
                 "(or an index, or '*' for every one)"),
    dict(entry='pg.solve', bad_input='not a Scenario',
         call=lambda: pg.solve("games/scenarios/revocation_order.toml"),
         error=TypeError,
         message='solve: game must be a Scenario, NormalFormGame, RepeatedGame or '
                 'RegimeGame (read a file with pg.load), got str'),
    dict(entry='pg.solve', bad_input='a TU game (no equilibrium)',
         call=lambda: pg.solve(pg.examples.load("glove")),
         error=TypeError,
         message='solve: a TUGame has no equilibrium to solve for; call one of its solution '
                 'concepts: pg.shapley, pg.banzhaf, pg.core, pg.least_core, pg.nucleolus, '
                 'pg.cost_of_stability'),
    dict(entry='pg.solve', bad_input='levels of the wrong shape',
         call=lambda: pg.solve(pg.load(SC), [[1.0, 2.0]]),
         error=ValueError,
         message='solve: levels must have shape (partners, instruments) = (3, 1), got (1, 2)'),
    dict(entry='pg.solve', bad_input='negative levels',
         call=lambda: pg.solve(pg.load(SC), [[-1.0], [0.0], [0.0]]),
         error=ValueError,
         message='solve: levels[0, 0] must be non-negative, got -1.0'),
    dict(entry='pg.minimum_assurance', bad_input="target='both'",
         call=lambda: pg.minimum_assurance(pg.load(SC), "both"),
         error=ValueError,
         message=("Unknown method 'both' for minimum_assurance; choose one of: participation, "
                  'continuity, unique_participation, unique_continuity')),
    dict(entry='pg.minimum_assurance', bad_input='not a Scenario',
         call=lambda: pg.minimum_assurance(None),
         error=TypeError,
         message='minimum_assurance: sc must be a Scenario, got NoneType'),
    dict(entry='pg.hedge', bad_input='unknown partner',
         call=lambda: pg.hedge(pg.load(PL), "India"),
         error=ValueError,
         message="hedge: unknown partner 'India'; partners: non-exclusive partner"),
    dict(entry='pg.hedge', bad_input='alpha = 1',
         call=lambda: pg.hedge(pg.load(PL), 0, alpha=1.0),
         error=ValueError,
         message='hedge: alpha must lie in [0, 1), got 1.0'),
    dict(entry='pg.hedge', bad_input='negative risk aversion',
         call=lambda: pg.hedge(pg.load(PL), 0, risk_aversion=-1.0),
         error=ValueError,
         message='hedge: risk_aversion must be non-negative, got -1.0'),
    dict(entry='pg.hedge', bad_input='provider_probability = 1.5',
         call=lambda: pg.hedge(pg.load(PL), 0, provider_probability=1.5),
         error=ValueError,
         message='hedge: provider_probability must lie in [0, 1], got 1.5'),
    dict(entry='pg.assurance_for_share', bad_input='share = 2',
         call=lambda: pg.assurance_for_share(pg.load(PL), 0, share=2.0),
         error=ValueError,
         message='assurance_for_share: share must lie in [0, 1], got 2.0'),
    dict(entry='pg.batch.minimum_assurance', bad_input='a discount of 1 in the batch',
         call=lambda: pg.batch.minimum_assurance(discount=[0.5, 1.0], **B),
         error=ValueError,
         message='batch.minimum_assurance: discount must lie in (0, 1), got 1.0'),
    dict(entry='pg.batch.minimum_assurance', bad_input="unknown parameter 'discout'",
         call=lambda: pg.batch.minimum_assurance(discout=0.9, **B),
         error=TypeError,
         message="batch.minimum_assurance: unknown parameter 'discout' (did you mean 'discount'?)"),
    dict(entry='pg.batch.minimum_assurance', bad_input="target='both'",
         call=lambda: pg.batch.minimum_assurance(target="both", discount=0.9, **B),
         error=ValueError,
         message=("Unknown method 'both' for batch.minimum_assurance; choose one of: "
                  'participation, continuity, unique_participation, unique_continuity')),
    dict(entry='pg.batch.minimum_assurance', bad_input='chunk = 0',
         call=lambda: pg.batch.minimum_assurance(discount=0.9, chunk=0, **B),
         error=ValueError,
         message='batch.minimum_assurance: chunk must be a positive integer, got 0'),
    dict(entry='pg.batch.minimum_assurance', bad_input='a non-stochastic transition',
         call=lambda: pg.batch.minimum_assurance(discount=0.9, **{**B, "transition": [[0.5]]}),
         error=ValueError,
         message=('batch.minimum_assurance: transition rows must be probabilities summing to 1 '
                  '(tolerance 1e-9)')),
    dict(entry='pg.batch.minimum_assurance', bad_input='non-finite revocation gain',
         call=lambda: pg.batch.minimum_assurance(discount=0.9,
                                                 **{**B, "revocation_gain": float("nan")}),
         error=ValueError,
         message='batch.minimum_assurance: revocation_gain must be finite, got nan'),
    dict(entry='pg.batch.minimum_assurance', bad_input='a missing parameter',
         call=lambda: pg.batch.minimum_assurance(discount=0.9, transition=[[1.0]]),
         error=TypeError,
         message="batch.minimum_assurance: missing required parameter 'provider_value'"),
    dict(entry='pg.batch.revocation_equilibrium', bad_input='negative level',
         call=lambda: pg.batch.revocation_equilibrium(discount=0.9, level=-1.0, **B),
         error=ValueError,
         message='batch.revocation_equilibrium: level must be non-negative'),
    dict(entry='pg.batch.revocation_equilibrium', bad_input='start outside the regimes',
         call=lambda: pg.batch.revocation_equilibrium(discount=0.9, start=3, **B),
         error=ValueError,
         message='batch.revocation_equilibrium: start must be a regime index in 0..0, got 3'),
    dict(entry='pg.format_report', bad_input='assurance given as a list',
         call=lambda: pg.format_report(pg.load(SC), assurance=[]), error=TypeError,
         message=('format_report: assurance must be a mapping from target to AssuranceResult, '
                  'got list')),
    dict(entry='pg.format_report', bad_input="assurance={'survival': ...}",
         call=lambda: pg.format_report(pg.load(SC), assurance={"survival": None}),
         error=ValueError,
         message=("format_report: assurance has an unknown target 'survival'; choose among: "
                  "participation, continuity, unique_participation, unique_continuity")),
    dict(entry='pg.format_report', bad_input='equilibrium not from solve',
         call=lambda: pg.format_report(pg.load(SC), equilibrium=0.5), error=TypeError,
         message=('format_report: equilibrium must be a ScenarioEquilibrium (from solve), '
                  'got float')),
]

# Issue 8 coverage rows: non-finite and object-dtype numbers, wrong shapes, delta at the
# boundary, non-stochastic and negative probabilities, capacities below zero, misspelt keys.
INS = '[[instruments]]\nname = "bond"\npreset = "bond"\n'
TWO = '[regimes]\nnames = ["a", "b"]\ntransition = [[0.5, 0.5], [0.5, 0.5]]\n'
SRC = ('[[partners.sources]]\nname = "r"\naccess_value = 2.0\nrevocation_loss = 1.0\n'
       'revocation_probability = 0.1\ncap = 1.0\n')


def _partner(**changes):
    from paxgame.games.scenario import Partner

    kw = dict(name="p", access_value=3.0, outside_option=1.0, revocation_loss=1.0,
              provider_value=[1.0], revocation_gain=[1.0])
    return Partner(**{**kw, **changes})


def _instrument(**changes):
    from paxgame.games.scenario import Instrument

    return Instrument(**{"name": "b", **changes})


CASES += [
    dict(entry='pg.load (revocation)', bad_input='access_value = nan',
         call=lambda: loads_toml(MIN.replace("access_value = 3.0", "access_value = nan"),
                                 "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'partners[0].access_value': must be finite, got nan"),
    dict(entry='pg.load (revocation)', bad_input='provider_value = inf',
         call=lambda: loads_toml(MIN.replace("provider_value = 1.0", "provider_value = inf"),
                                 "x.toml"),
         error=pg.GameFileError,
         message=("load: x.toml: key 'partners[0].provider_value': entry 0 must be finite, "
                  "got inf")),
    dict(entry='pg.load (revocation)', bad_input='revocation_gain = "12" (a string)',
         call=lambda: loads_toml(MIN.replace("revocation_gain = 12.0",
                                             'revocation_gain = "12"'), "x.toml"),
         error=pg.GameFileError,
         message=("load: x.toml: key 'partners[0].revocation_gain': must be a number or an "
                  "array, got str")),
    dict(entry='pg.load (revocation)', bad_input='three provider values for two regimes',
         call=lambda: loads_toml(MIN.replace("provider_value = 1.0",
                                             "provider_value = [1.0, 0.5, 0.2]") + TWO,
                                 "x.toml"),
         error=pg.GameFileError,
         message=("load: x.toml: key 'partners[0].provider_value': must have one entry per "
                  "regime (2) or be a single number, got 3 entries")),
    dict(entry='pg.load (revocation)', bad_input='a 2x3 transition for two regimes',
         call=lambda: loads_toml(MIN + '[regimes]\nnames = ["a", "b"]\n'
                                 'transition = [[0.5, 0.5, 0.0], [0.5, 0.5, 0.0]]\n',
                                 "x.toml"),
         error=pg.GameFileError,
         message=("load: x.toml: key 'regimes.transition': must be a 2x2 array (one row per "
                  "regime)")),
    dict(entry='pg.load (revocation)', bad_input='discount = 1.0 (the boundary)',
         call=lambda: loads_toml(MIN.replace("0.9", "1.0"), "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'discount': must lie in (0, 1), got 1.0"),
    dict(entry='pg.load (revocation)', bad_input='discount = nan',
         call=lambda: loads_toml(MIN.replace("0.9", "nan"), "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'discount': must be finite, got nan"),
    dict(entry='pg.load (revocation)', bad_input='instrument cap = -1 (capacity below zero)',
         call=lambda: loads_toml(MIN + INS + "cap = -1.0\n", "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'instruments[0].cap': must be non-negative, got -1.0"),
    dict(entry='pg.load (revocation)', bad_input="misspelt instrument key 'forfiet'",
         call=lambda: loads_toml(MIN + INS + "forfiet = 1.0\n", "x.toml"),
         error=pg.GameFileError,
         message=("load: x.toml: key 'instruments[0].forfiet': unknown key (did you mean "
                  "'forfeit'?)")),
    dict(entry='pg.load (revocation)', bad_input="misspelt kind = 'revocaton'",
         call=lambda: loads_toml(MIN.replace('kind = "revocation"', 'kind = "revocaton"'),
                                 "x.toml"),
         error=pg.GameFileError,
         message=("load: x.toml: key 'kind': unknown kind 'revocaton' (did you mean "
                  "'revocation'?); choose one of: normal_form, repeated, regime, "
                  "revocation, tu")),
    dict(entry='pg.load (revocation)', bad_input='screening = 1.5',
         call=lambda: loads_toml(MIN.replace("discount = 0.9",
                                             "discount = 0.9\nscreening = 1.5"), "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'screening': must be a probability in [0, 1], got 1.5"),
    dict(entry='pg.load (revocation)', bad_input='a source revocation_probability of -0.1',
         call=lambda: loads_toml(MIN + SRC.replace("0.1", "-0.1"), "x.toml"),
         error=pg.GameFileError,
         message=("load: x.toml: key 'partners[0].sources[0].revocation_probability': must "
                  "be a probability in [0, 1], got -0.1")),
    dict(entry='pg.load (revocation)', bad_input='a source cap of -0.5 (capacity below zero)',
         call=lambda: loads_toml(MIN + SRC.replace("cap = 1.0", "cap = -0.5"), "x.toml"),
         error=pg.GameFileError,
         message=("load: x.toml: key 'partners[0].sources[0].cap': must lie in [0, 1], "
                  "got -0.5")),
    dict(entry='pg.load (revocation)', bad_input='duplicated regime names',
         call=lambda: loads_toml(MIN + TWO.replace('"b"', '"a"'), "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'regimes.names': duplicated regime name 'a'"),
    dict(entry='pg.load (revocation)', bad_input="start = 'c' (not a regime)",
         call=lambda: loads_toml(MIN + TWO + 'start = "c"\n', "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'regimes.start': 'c' is not a regime name"),
    dict(entry='pg.load (revocation)', bad_input='horizon = 0',
         call=lambda: loads_toml(MIN.replace("discount = 0.9", "discount = 0.9\nhorizon = 0"),
                                 "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'horizon': must be a positive integer, got 0"),
    dict(entry='Scenario.replace', bad_input='discount = nan',
         call=lambda: pg.load(SC).replace(discount=float("nan")),
         error=ValueError, message='Scenario.replace: discount must be finite, got nan'),
    dict(entry='Scenario.replace', bad_input='instruments.0.cap = -1 (capacity below zero)',
         call=lambda: pg.load(SC).replace(**{"instruments.0.cap": -1.0}),
         error=ValueError,
         message="Scenario.replace: instrument 'bond': cap must be non-negative, got -1.0"),
    dict(entry='Scenario.replace', bad_input='a transition row summing to 1.1',
         call=lambda: pg.load(SC).replace(**{"regimes.transition": [[0.9, 0.2], [0.3, 0.7]]}),
         error=ValueError,
         message=('Scenario.replace: row 0 of transition sums to 1.1, not 1 (tolerance '
                  '1e-09)')),
    dict(entry='Scenario.replace', bad_input='a negative transition probability',
         call=lambda: pg.load(SC).replace(**{"regimes.transition": [[1.2, -0.2],
                                                                     [0.3, 0.7]]}),
         error=ValueError,
         message='Scenario.replace: transition[0, 1] is a negative probability (-0.2)'),
    dict(entry='Scenario.replace', bad_input='two provider values for three regimes',
         call=lambda: pg.load(PL).replace(**{"partners.0.provider_value": [1.0, 2.0]}),
         error=ValueError,
         message=("Scenario.replace: partner 'non-exclusive partner': provider_value must "
                  "have one entry per regime (3), got 2")),
    dict(entry='Instrument', bad_input='cap = -1 (capacity below zero)',
         call=lambda: _instrument(cap=-1.0), error=ValueError,
         message="Scenario: instrument 'b': cap must be non-negative, got -1.0"),
    dict(entry='Partner', bad_input='access_value = nan',
         call=lambda: _partner(access_value=float("nan")), error=ValueError,
         message="Scenario: partner 'p': access_value must be finite, got nan"),
    dict(entry='Partner', bad_input='object-dtype provider values',
         call=lambda: _partner(provider_value=np.array(["a"], dtype=object)),
         error=TypeError,
         message=("Scenario: partner 'p': provider_value must hold real numbers only (got an "
                  "object array)")),
    dict(entry='pg.solve', bad_input='a NaN level',
         call=lambda: pg.solve(pg.load(SC), [[float("nan")]]),
         error=ValueError, message='solve: levels[0, 0] must be finite, got nan'),
    dict(entry='pg.hedge', bad_input='alpha = nan',
         call=lambda: pg.hedge(pg.load(PL), 0, 1.0, float("nan")),
         error=ValueError, message='hedge: alpha must be finite, got nan'),
    dict(entry='pg.batch.minimum_assurance', bad_input='discount = 0 (the boundary)',
         call=lambda: pg.batch.minimum_assurance(discount=0.0, **B),
         error=ValueError,
         message='batch.minimum_assurance: discount must lie in (0, 1), got 0.0'),
    dict(entry='pg.batch.minimum_assurance', bad_input='a negative transition probability',
         call=lambda: pg.batch.minimum_assurance(
             discount=0.9, **{**B, "transition": [[1.5, -0.5], [0.5, 0.5]],
                              "provider_value": [1.0, 1.0], "revocation_gain": [1.0, 1.0]}),
         error=ValueError,
         message=('batch.minimum_assurance: transition rows must be probabilities summing to 1 '
                  '(tolerance 1e-9)')),
    dict(entry='pg.batch.minimum_assurance', bad_input='object-dtype revocation gains',
         call=lambda: pg.batch.minimum_assurance(
             discount=0.9, **{**B, "revocation_gain": np.array(["x"], dtype=object)}),
         error=TypeError,
         message=('batch.minimum_assurance: revocation_gain must hold real numbers only (got '
                  'an object array)')),
    dict(entry='pg.load (revocation)', bad_input='a hedge event cutting an unknown source',
         call=lambda: loads_toml(MIN + SRC + '[[hedge.events]]\nprobability = 0.1\n'
                                             'cuts = ["rival"]\n', "x.toml"),
         error=pg.GameFileError,
         message="load: x.toml: key 'hedge.events[0].cuts': 'rival' is no partner's source"),
    dict(entry='pg.load (revocation)', bad_input='access_value with a wrong number of regimes',
         call=lambda: loads_toml(MIN.replace("access_value = 3.0", "access_value = [3.0, 2.0]"),
                                 "x.toml"),
         error=pg.GameFileError,
         message=("load: x.toml: key 'partners[0].access_value': must have one entry per "
                  "regime (1) or be a single number, got 2 entries")),
    dict(entry='Scenario.replace', bad_input='an absorbing hazard without an absorbing regime',
         call=lambda: pg.load(SC).replace(**{"regimes.absorbing_hazard": 0.1}),
         error=ValueError,
         message='Scenario.replace: absorbing_hazard 0.1 needs an absorbing_regime'),
    dict(entry='pg.hedge', bad_input='levels of the wrong shape',
         call=lambda: pg.hedge(pg.load(PL), 0, levels=[[1.0, 2.0]]),
         error=ValueError,
         message=('hedge: levels must be a non-negative finite array of shape (1, 1) '
                  '(partners, instruments), got (1, 2)')),
]
