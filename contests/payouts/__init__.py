"""Prize money: the providers that pay winners (issue #20), and what they share."""
