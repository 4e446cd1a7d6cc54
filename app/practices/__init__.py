"""The good-practice library: practices other cities may learn from, tied to indicators."""
