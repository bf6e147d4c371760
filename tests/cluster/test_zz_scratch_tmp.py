from datetime import date
from tests.cluster.test_bad_input_forms import demo  # noqa
from cluster.funding.protected import protected_pupils, record_event
from cluster.funding.psf import EVENT_LABELS

def test_scratch(demo):
    engine, host = demo.engine, demo.actor("host")
    demo.ready()
    pupils = [p for p in protected_pupils(engine, host) if not p.ended]
    other = next(p.school_id for p in protected_pupils(engine, host) if p.school_id != pupils[0].school_id)
    for kind in EVENT_LABELS:
        for on in (date.min, date.max, date(1900,1,1), date(2099,12,31)):
            try:
                record_event(engine, host, pupils[0].id, kind=kind, on=on, to_school_id=other, expected_version=pupils[0].version)
                print("ok", kind, on); demo.pristine.restore()
            except Exception as e:
                print(type(e).__name__, kind, on, str(e)[:100])
