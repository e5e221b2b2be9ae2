// The recovery phrase's word list: 1024 common English words, so each word carries 10 bits.
// No two share their first four letters, so four letters are enough to name a word, and none is
// longer than eight letters, so a phrase is quick to write down and to type.
const LIST = `
acorn act actor add admire adopt alarm album alert alpha amber anchor ankle answer ant
anvil apple apron arm arrive arrow artist ask atlas attic author autumn avenue axe back
badge bag bagel bake ball bamboo banana banjo banner barber bark barley barn barrel basil
basket bat bay bazaar beach bean bear beaver bee beet begin bell belt bench bend berry
bingo birch bison black bless blink blue boar boat boil bonus boot border borrow bottle
bounce bowl box brain branch brave bread breeze brick bridge bright bronze broom broth
brown brush bubble bucket bugle build bundle burst bus bush butter buy cabin cable cactus
cake calm camel canal candle canoe canvas canyon cap car card carpet cart carve cashew
castle cat catch cave cedar celery cellar cement census cereal chain chalk chapel chase
cheek chef cherry chess chew chick chili chin choose chorus cider cinema circle clap clerk
clever cliff climb clinic clock cloud clover coach coast coat cobalt cobra cocoa cod coffee
collar comb comet cook copper cord corn couch cougar count cover cow cozy crab cradle crate
crawl crayon cream creek cricket crimson crisp cross crow crystal cub cumin cup curious
curry curtain cushion custard cyan cycle daisy dance dare date dawn deer deliver delta
dentist desert desk dew dial diamond diary dig dingo dish dive doctor dog domino donkey
door dough dove dragon drama draw dream drift drink drive drizzle drum duck dune dusk eager
eagle ear early earn easel echo eclipse eel egg elbow elk elm emerald empire emu engine
enjoy enter episode escape explore eye fable factory fair falcon fan fancy farmer fence
fern ferret fetch fiction fiddle field fierce fig finch find finger fish fist fix fjord
flag flask flea float flour flower fly fog fold follow foot forest fork forum fossil fox
frame frog frost fudge funnel galaxy gale garage garden garland garnet gather gazette gecko
gem gentle gerbil ghost giant gift giggle ginger giraffe give glacier glad glide globe
glove goat gold goose gopher gossip grab grand grape grass gravel gray green grove grow
guard guava guess guide guitar gulf gull hail hall hammer hamster hand happy harbor hare
harvest hat hatch hawk haze head heart hedge heel helmet help hen herb heron hide hike hill
hinge hip hippo hobby hold holiday honest hook hop horizon horse hotel hound hug hum humble
humor hunt hurry hut hyena ibis icicle idea igloo iguana imagine index indigo ink invent
invite iron island ivory ivy jackal jade jam jar jaw jay jazz jeep jelly jigsaw jog join
jolly journey jubilee judge jug juggle juice jump jungle kale kayak keen kernel kettle key
kind kingdom kiosk kitchen kite kitten kiwi knee knight knit knob knock koala label ladder
lagoon lake lamb lamp lantern lark latch laugh lawyer leaf learn leek legend lemon lemur
lens lentil leopard letter lever library lid lift lilac lily lime lion lip listen lively
lizard llama lobby lobster locker look lotus loyal lucky lullaby lung lynx lyric machine
magenta magic magnet magpie mallet mammoth mango mansion map maple marble march market
maroon marsh mask mat mayor meadow medal melody memory mend menu merry mesa message meteor
metro mighty milk mill miner mint minute miracle mirror mist mitten mix modest mole monk
moon moose mosaic moss moth motor mouse move muffin mug mule museum music mustard mystery
nail napkin navy neat nebula neck nectar needle nest net newt nickel noble nod noodle nose
novel number nurse nutmeg oak oar oasis oat ocean october office olive onion opal open
opera oracle orange orbit orchard organ otter outpost oven owl oyster paddle pageant pagoda
pail paint palace palette palm pan pancake panda pantry papaya parade parcel parrot parsley
pasta patrol pause pea peach peak peanut pear pebble pedal pelican pencil pendant penguin
pepper petal pewter pick picnic pie pigeon pilgrim pillow pilot pin pine pink pipe pirate
pitcher pixel plain planet plate play plaza pliers plow plum pocket podium poet point
polish pollen pond pony poodle popcorn poppy porch portal poster pot potato potter pour
prairie pray pretzel priest prince proud prune pudding puffin pull puma pumpkin puppy
purple push puzzle pyramid quail quarry queen quest quick quiet quilt quiver rabbit raccoon
race radar radio raft rain raisin rake rally ram ranch ranger rapid rare rat raven reach
read recipe record red reed reef relax relic repair rest rib ribbon rice rich riddle ride
ridge ring river roar robin rocket rodeo roll root rope rose royal ruby rug ruler rumor run
rust sack saddle safari saga sail salad salmon salsa salt sapling satchel sauce save saw
scarf scooter scout screw scrub seal search season secret seed sequel shadow shake share
shed sheep shelf sheriff shield shine ship shore shovel shrimp shrub shy sieve signal
silver simple sing sink sip siren sit skate sketch skin skip skull skunk sky slate sled
sleep slide slope sloth slug smart smile smooth snail snake sneeze snow snug sock sofa
soldier solid sonnet sort soup sow sparrow speak spicy spider spin spiral splash sponge
spoon spring squash squid stable stack stadium stamp stand star statue steady steel stem
stew sticker stir stone stool stork stove stream string studio sturdy subway sugar summer
sun sunny sunrise sunset swamp swan swift swim swing symbol syrup table taco tailor talk
tan tango tape taste tavern taxi tea teach teal teapot temple tender tent theater thimble
think thistle thorn throw thumb thunder ticket tide tidy tiger tile timber tin tiny toad
toast toe tofu token tomato tongue tonic tooth topaz torch tornado tough towel tractor
trail tram travel tray tribe trivia trophy trout truck truffle trunk trust tub tulip tumble
tuna tundra tunnel turkey turn turtle tutor tuxedo twig type upland utopia vacuum valley
van vanilla vase velvet venue verse vessel video villa vine vinyl violet viper visa visit
vivid volcano voyage vulture wade waffle wagon wait walk wallet walnut walrus wander warm
wash wasp watch wave weasel weather weave whale wheat whisker white wild willow win wind
wink winter wire wise wish witty wizard wolf wombat wonder worm wrench wrist write yacht
yak yard yawn yellow yodel yogurt young zebra zenith zephyr zesty zigzag zinc zipper
`;

export const RECOVERY_WORDS: readonly string[] = LIST.trim().split(/\s+/);
