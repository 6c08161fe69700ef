import MuJoCo
import TestSupport
import Testing
import Workers

@testable import ModelWorker

/// The model inspector's tree, checked against MuJoCo's Python bindings.
@Suite("Model trees")
struct ModelTreeTests {
  @Test("The Panda's tree names its seven arm joints and eight actuators with their ranges")
  func panda() async throws {
    let scene = TestPaths.menagerie.appendingPathComponent("franka_emika_panda/scene.xml")
    let tree = ModelTree(try Model(contentsOf: scene.path))
    let reference = try #require(try await MuJoCoReference.of([scene.path]).first)
    let joints = tree.bodies.flatMap(\.joints)
    #expect(joints.map(\.name) == reference.joints)
    for index in 1...7 {
      let joint = try #require(joints.first { $0.name == "joint\(index)" })
      #expect(joint.type == "hinge")
      #expect(joint.range?.count == 2)
    }
    #expect(tree.actuators.count == 8)
    #expect(tree.actuators.map(\.name) == reference.actuators.map(\.name))
    for (ours, theirs) in zip(tree.actuators, reference.actuators) {
      #expect(ours.ctrlrange == theirs.ctrlrange, "\(ours.name)")
      #expect(ours.gear.count == 6)
    }
    let first = try #require(tree.actuators.first)
    #expect(first.trntype == "joint" && first.target == "joint1" && first.targetType == "joint")
    #expect(tree.counts.nu == 8 && tree.counts.nbody == reference.nbody)
    #expect(tree.keyframes.contains { $0.name == "home" })
  }

  @Test("Bodies form a tree from the world; geoms, sites and sensors name their parts")
  func shape() throws {
    let tree = ModelTree(try Model(contentsOf: try TestPaths.cartpoleScene().path))
    let world = try #require(tree.bodies.first)
    #expect(world.parent == -1 && world.name == "world")
    #expect(world.geoms.map(\.name) == ["floor", "rail"])
    for body in tree.bodies.dropFirst() {
      #expect(tree.bodies[body.parent].children.contains(body.id))
    }
    let cart = try #require(tree.bodies.first { $0.name == "cart" })
    #expect(cart.joints.map(\.type) == ["slide"])
    #expect(cart.joints.first?.range == [-2, 2])
    let pole = try #require(tree.bodies.first { $0.name == "pole" })
    #expect(pole.joints.first?.range == nil)
    #expect(tree.actuators.first?.ctrlrange == [-1, 1])
    #expect(tree.actuators.first?.gear.first == 50)
    #expect(tree.cameras.map(\.name) == ["side"])
    #expect(tree.lights.first?.type == "spot")

    let sensors = ModelTree(
      try Model(
        xml: """
          <mujoco><worldbody><body name="b"><joint name="j"/><geom size=".1"/>
          <site name="s"/></body></worldbody>
          <sensor><jointpos name="q" joint="j"/><touch name="t" site="s"/><clock name="c"/></sensor>
          </mujoco>
          """)
    ).sensors
    #expect(sensors.map(\.type) == ["jointpos", "touch", "clock"])
    #expect(sensors.map(\.object) == ["j", "s", ""])
    #expect(sensors.map(\.objectType) == ["joint", "site", ""])
  }
}
