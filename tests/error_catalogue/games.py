"""Error catalogue rows of the game objects' own rules (scenario names and parameter paths)."""

import paxgame as pg
from paxgame.io import loads_toml


def _partner(name):
    return dict(name=name, access_value=3.0, outside_option=1.0, revocation_loss=6.0,
                provider_value=1.0, revocation_gain=2.0)


def _two_regimes():
    return pg.Scenario(partners=[_partner("a")], discount=0.9, regime_names=("1", "0"),
                       transition=[[0.5, 0.5], [0.5, 0.5]])


_STAR = ('kind = "revocation"\ndiscount = 0.9\n[[partners]]\nname = "*"\naccess_value = 3\n'
         'outside_option = 1\nrevocation_loss = 6\nprovider_value = 1\nrevocation_gain = 2\n')

CASES = [
    dict(entry="pg.Scenario", bad_input='a partner named "1" (reads as an index)',
         call=lambda: pg.Scenario(partners=[_partner("a"), _partner("1")], discount=0.9),
         error=ValueError,
         message="Scenario: partner name '1' reads as an index in parameter paths "
                 "(partners.1 means the partner at position 1); use a name that is not an "
                 "integer"),
    dict(entry='pg.load (kind = "revocation")', bad_input='a partner named "*" (the wildcard)',
         call=lambda: loads_toml(_STAR, "x.toml"), error=pg.GameFileError,
         message="load: x.toml: key 'partners[0].name': '*' is the wildcard of parameter "
                 "paths (partners[*] means every partner); choose another name"),
    dict(entry="Scenario.replace", bad_input='a path segment "0" that is an index and the '
                                             'name of another regime',
         call=lambda: _two_regimes().replace(**{"partners.a.revocation_gain.0": 3.0}),
         error=ValueError,
         message="Scenario.replace: 'partners.a.revocation_gain.0' is ambiguous: '0' means "
                 "the regime at position 0 but is also the name of regime 1; rename that "
                 "regime"),
]
