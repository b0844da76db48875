"""つながり: the people you met stay within reach — contacts by consent, private notes, the network in numbers."""
