"""What the money achieved: reviews of awards, impact against outcomes, and the figures governors,
parents and the LA read."""
