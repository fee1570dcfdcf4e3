# bench/perl-alloc.pl - an allocation-heavy Perl workload for bench/run:
# `perl bench/perl-alloc.pl SCALE`. Hashes of strings, arrays of arrays,
# split/join, sorting and regex rewriting; perl allocates every SV, string
# and hash bucket with malloc. Prints a checksum independent of hash order.
use strict;
use warnings;

my $scale = @ARGV ? $ARGV[0] : 1;
my $n = int($scale * 100000);
my $acc = 0;

for my $round (1 .. 3) {
    my %h;
    for my $i (0 .. $n - 1) {
        my $key = sprintf("key-%07d", ($i * 2654435761) % 1000003);
        $h{$key} = join(",", $i, $i % 7, "v" x (1 + $i % 13));
    }
    my @rows = map { [ split /,/, $h{$_} ] } sort keys %h;
    my @big = grep { $_->[1] == 3 } @rows;
    my $text = join("\n", map { join("|", @$_) } @rows);
    (my $copy = $text) =~ s/v+/w/g;
    my %count;
    $count{ length $_ }++ for split /\n/, $copy;
    $acc = ($acc * 31 + scalar(@big) + length($copy) + scalar(keys %count)) % 1000000007;
}
printf "checksum: %016x\n", $acc;
