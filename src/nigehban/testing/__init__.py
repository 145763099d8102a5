"""Test support shipped with the library: contract-test mixins and fakes for users' own tests."""
