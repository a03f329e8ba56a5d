"""The API's epoch timestamps: milliseconds as a decimal string (create_time, update_time,
start_time, process_time ...), from the emulator clock's seconds."""


def epoch_ms(seconds):
    """``seconds`` since the epoch as the API writes it, e.g. "1700000000123"; None stays None."""
    return None if seconds is None else str(int(seconds * 1000))
