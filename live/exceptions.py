from reservations.exceptions import Unavailable


class StreamUnavailable(Unavailable):
    """503 ``unavailable``: no push here (``PUSH_URL`` empty, or the request did not come through
    Pushpin). Clients poll the change feed instead."""

    default_message = "Live seat maps are not served here: poll the change feed (?since=<cursor>)."
