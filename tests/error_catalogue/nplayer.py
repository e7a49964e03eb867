"""Error catalogue rows of the N-player Nash methods and the logit QRE."""

import paxgame as pg

_GAME = pg.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])

CASES = [
    dict(entry='pg.logit_qre', bad_input='a negative precision',
         call=lambda: pg.logit_qre(_GAME, -1.0),
         error=ValueError,
         message='logit_qre: lam must be a finite number >= 0, got -1.0'),
    dict(entry='pg.logit_qre', bad_input='a precision given as a string',
         call=lambda: pg.logit_qre(_GAME, '2'),
         error=TypeError,
         message='logit_qre: lam must be a real number, got str'),
    dict(entry='pg.logit_qre', bad_input='a payoff array instead of a game',
         call=lambda: pg.logit_qre([[1, 0], [0, 1]], 1.0),
         error=TypeError,
         message='logit_qre: game must be a NormalFormGame, got list'),
    dict(entry='pg.logit_qre', bad_input='an unknown option',
         call=lambda: pg.logit_qre(_GAME, 1.0, options={'steps': 5}),
         error=ValueError,
         message="logit_qre: unknown option 'steps' (did you mean 'max_steps'?); valid "
                 "options: max_steps, first_step, "
                 "max_accel"),
    dict(entry='pg.logit_qre', bad_input='a step cap of 0',
         call=lambda: pg.logit_qre(_GAME, 1.0, options={'max_steps': 0}),
         error=ValueError,
         message="logit_qre: options['max_steps'] must be an integer >= 1, got 0"),
    dict(entry='pg.nash', bad_input="method='logit' with scaling='none'",
         call=lambda: pg.nash(_GAME, 'logit', options={'scaling': 'none'}),
         error=ValueError,
         message="nash: options['scaling'] must be 'player' or 'common', got 'none'"),
    dict(entry='pg.nash', bad_input="method='logit' with a step cap of 0",
         call=lambda: pg.nash(_GAME, 'logit', options={'max_steps': 0}),
         error=ValueError,
         message="nash: options['max_steps'] must be an integer >= 1, got 0"),
    dict(entry='pg.nash', bad_input="method='support_newton' with starts=0",
         call=lambda: pg.nash(_GAME, 'support_newton', options={'starts': 0}),
         error=ValueError,
         message="nash: options['starts'] must be an integer >= 1, got 0"),
    dict(entry='pg.nash', bad_input="method='support_newton' with a negative random_state",
         call=lambda: pg.nash(_GAME, 'support_newton', options={'random_state': -1}),
         error=ValueError,
         message="nash: options['random_state'] must be None, a non-negative integer or a "
                 "numpy Generator, got -1"),
]
