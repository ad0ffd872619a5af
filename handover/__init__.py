"""Handing a citizen's chat to a person: when a counsellor is there (`hours`), who is on duty (`duty`), and the
queue with its claim (`queue`, over the `handovers` table of `models`)."""

from handover.duty import NotCounsellor, counsellors_on_duty, make_counsellor, set_duty
from handover.hours import WEEKDAYS, Interval, OpeningHours, parse_intervals
from handover.models import ENDED, TALKING, WAITING, HandoverRecord
from handover.queue import (AlreadyTalking, Place, QueueFull, claim, end_where_forgotten, hand_back, join, leave,
                            mark_away, mark_back, open_handover, place, still_away, talking_with, waiting_behind,
                            waiting_count)

__all__ = ["ENDED", "TALKING", "WAITING", "AlreadyTalking", "HandoverRecord", "Interval", "NotCounsellor",
           "OpeningHours", "Place", "QueueFull", "WEEKDAYS", "claim", "counsellors_on_duty", "end_where_forgotten",
           "hand_back", "join", "leave", "make_counsellor", "mark_away", "mark_back", "open_handover", "parse_intervals", "place", "set_duty", "still_away", "talking_with", "waiting_behind",
           "waiting_count"]
