"""`flask demo seed` makes requests in every state and with every outcome; `flask demo clear`
removes them."""

import random

from sqlalchemy import func, select

from infocenter.demo import SeedContext
from infocenter.demo.commands import _clear, run_seed
from infocenter.extensions import db
from infocenter.inquiries.models import OUTCOMES, STATUSES, Inquiry, InquiryCounter
from infocenter.stats import Scope
from infocenter.stats import requests as rstats


def test_demo_requests_in_every_state(app):
    with app.app_context():
        ctx = SeedContext(
            rng=random.Random(7),
            documents=10,
            visits=30,
            online_events=10,
            requests=30,
            echo=lambda *_: None,
        )
        run_seed(ctx)
        statuses = dict(
            db.session.execute(select(Inquiry.status, func.count()).group_by(Inquiry.status)).all()
        )
        outcomes = dict(
            db.session.execute(
                select(Inquiry.outcome, func.count())
                .where(Inquiry.outcome.is_not(None))
                .group_by(Inquiry.outcome)
            ).all()
        )
        assert set(statuses) == set(STATUSES)
        assert set(outcomes) == set(OUTCOMES)
        assert sum(statuses.values()) == 30
        assert db.session.scalar(select(func.count()).where(Inquiry.is_demo.is_(False))) == 0
        s = rstats.summary(Scope(ctx.start, ctx.today))
        assert s.flow.received == 30 and s.flow.pending_start == 0
        assert s.flow.closed == sum(outcomes.values())
        _clear(SeedContext(rng=random.Random(0), echo=lambda *_: None))
        db.session.commit()
        assert db.session.scalar(select(func.count(Inquiry.id))) == 0
        assert db.session.scalar(select(func.count()).select_from(InquiryCounter)) == 0
